import { posix } from 'node:path';
import ts from 'typescript';
import type { SourceFiles } from './sources';

/**
 * Every module a file names: static imports and re-exports (type-only ones too: a type cycle still ties two
 * files together), `import('...')` and `import x = require('...')`.
 */
export function importSpecifiers(path: string, text: string): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (ts.isStringLiteral(ref)) out.push(ref.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The file a specifier names, or undefined for modules outside the checked files (npm dependencies). */
export function resolveSpecifier(
  from: string,
  specifier: string,
  files: SourceFiles,
  workspace: Map<string, string>,
): string | undefined {
  if (specifier.startsWith('.')) {
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    const stem = base.replace(/\.(js|ts)$/, '');
    return [base, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`].find((p) => files.has(p));
  }
  const target = workspace.get(specifier);
  return target && files.has(target) ? target : undefined;
}

export type ImportGraph = Map<string, Set<string>>;

export function importGraph(files: SourceFiles, workspace: Map<string, string>): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const [path, text] of files) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(path, text)) {
      const target = resolveSpecifier(path, specifier, files, workspace);
      if (target && target !== path) targets.add(target);
    }
    graph.set(path, targets);
  }
  return graph;
}

/** Strongly connected groups of two or more files (Tarjan): each one is an import cycle. */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const connect = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return cycles;
}

/** Which workspace packages each package's src may import: arrows point one way, toward core. */
export const ALLOWED_DEPENDENCIES: Record<string, string[]> = {
  core: [],
  heads: ['core'],
  zoo: ['core'],
  'backend-wasm': ['core'],
  'backend-webgpu': ['core'],
  'backend-onnx': ['core'],
  graft: ['core', 'heads', 'zoo', 'backend-wasm', 'backend-webgpu', 'backend-onnx'],
};

const packageOf = (path: string) => /^packages\/([^/]+)\//.exec(path)?.[1];

/** Imports from one package into another that the allowed list does not name, as "file -> target". */
export function backwardImports(graph: ImportGraph, allowed = ALLOWED_DEPENDENCIES): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const own = packageOf(from);
    if (!own) continue;
    for (const to of targets) {
      const other = packageOf(to);
      if (other && other !== own && !(allowed[own] ?? []).includes(other)) out.push(`${from} -> ${to}`);
    }
  }
  return out;
}
