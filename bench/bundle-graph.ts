/**
 * What an app downloads before any lazy chunk: an entry bundled with code splitting (esbuild, ESM, minified), the
 * entry chunk plus every chunk it imports statically ("eager"), against all chunks ("total", lazy ones included),
 * and the eager bytes per source module (esbuild's metafile, minified bytes each module left in the output).
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

export interface Size {
  min: number;
  gzip: number;
  chunks: number;
}

export interface SplitSize {
  eager: Size;
  total: Size;
  /** Minified bytes per source module in the eager chunks, largest first. */
  eagerModules: [string, number][];
  /** For a module in the eager chunks: the chain of static imports from the entry that pulls it in. */
  why(module: string): string[];
}

/** Chunks counted, minified bytes, and gzip of them joined as one file (an app bundler merges the eager ones). */
function sizeOf(files: Map<string, Uint8Array>, keys: Iterable<string>): Size {
  const codes = [...keys].flatMap((k) => files.get(k) ?? []);
  const joined = Buffer.concat(codes);
  return { min: joined.length, gzip: gzipSync(joined, { level: 9 }).length, chunks: codes.length };
}

/** Output chunks reachable from the entry's chunk through static imports only (a lazy module has an entryPoint too). */
function eagerChunks(outputs: Metafile['outputs'], entryPoint: string): Set<string> {
  const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint === entryPoint);
  const seen = new Set<string>();
  const stack = entry ? [entry] : [];
  for (let chunk = stack.pop(); chunk !== undefined; chunk = stack.pop()) {
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const i of outputs[chunk].imports) if (i.kind === 'import-statement' && outputs[i.path]) stack.push(i.path);
  }
  return seen;
}

/** Breadth-first static-import parents over the source modules, for `why`. */
function staticParents(inputs: Metafile['inputs'], entry: string): Map<string, string> {
  const parent = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
    for (const i of inputs[m]?.imports ?? []) {
      if (i.kind === 'dynamic-import' || !inputs[i.path] || parent.has(i.path)) continue;
      parent.set(i.path, m);
      queue.push(i.path);
    }
  }
  return parent;
}

/** Leaves the given source modules (paths from the root) out of the bundle, as if they were external. */
function leaveOut(root: string, modules: string[]): Plugin {
  const out = new Set(modules.map((m) => path.resolve(root, m)));
  return {
    name: 'leave-out',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const full = path.resolve(args.resolveDir, args.path);
        return out.has(full) || out.has(`${full}.ts`) ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** `without`: modules left out, to see what the eager part would weigh without them (bundle-size.ts --without). */
export async function splitSize(
  root: string,
  entry: string,
  external: string[],
  without: string[] = [],
): Promise<SplitSize> {
  const result = await build({
    plugins: without.length ? [leaveOut(root, without)] : [],
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['graft-source'],
    external,
    minify: true,
    write: false,
    metafile: true,
    outdir: path.join(root, '.bundle-size-out'),
    logLevel: 'silent',
  });
  const { outputs, inputs } = result.metafile;
  const files = new Map(
    result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [path.relative(root, f.path), f.contents]),
  );
  const eager = eagerChunks(outputs, entry);
  const eagerModules: [string, number][] = [...eager].flatMap((chunk) =>
    Object.entries(outputs[chunk].inputs).map(([m, v]): [string, number] => [m, v.bytesInOutput]),
  );
  eagerModules.sort((a, b) => b[1] - a[1]);
  const parents = staticParents(inputs, entry);
  const why = (module: string): string[] => {
    const chain: string[] = [];
    for (let m = parents.has(module) ? module : undefined; m; m = parents.get(m)) chain.unshift(m);
    return chain;
  };
  return { eager: sizeOf(files, eager), total: sizeOf(files, files.keys()), eagerModules, why };
}
