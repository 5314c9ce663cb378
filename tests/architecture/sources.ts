import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests/architecture/..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Source files keyed by their path relative to the root (forward slashes). */
export type SourceFiles = Map<string, string>;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
}

/** Every packages/<name>/src file: the code the checks hold to the architecture. */
export function packageSources(root = ROOT): SourceFiles {
  const files: SourceFiles = new Map();
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const paths: string[] = [];
    try {
      walk(join(root, 'packages', pkg, 'src'), paths);
    } catch {
      continue; // a folder without src is not a package
    }
    for (const path of paths) files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
  }
  return files;
}

/** Package name (and subpath) -> the source file its "graft-source" condition points at. */
export function workspaceEntries(root = ROOT): Map<string, string> {
  const entries = new Map<string, string>();
  for (const pkg of readdirSync(join(root, 'packages'))) {
    let manifest: { name: string; exports?: Record<string, { 'graft-source'?: string }> };
    try {
      manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      const source = conditions['graft-source'];
      if (!source) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`;
      entries.set(specifier, `packages/${pkg}/${source.replace(/^\.\//, '')}`);
    }
  }
  return entries;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
