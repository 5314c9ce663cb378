import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packAll, repoRoot, type Tarballs, tarballFiles, workspaces } from './pack';

const run = promisify(execFile);
let tarballs: Tarballs;

beforeAll(async () => {
  tarballs = await packAll();
});

/** Unpack a tarball into a temp dir; resolves to its `package/` folder. */
async function unpack(tarball: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'graft-unpack-'));
  await run('tar', ['-xzf', tarball, '-C', dir]);
  return join(dir, 'package');
}

/** Every path an exports map points at, except the repo-only `graft-source` condition. */
function exportTargets(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node.replace(/^\.\//, ''));
  else if (node && typeof node === 'object') {
    for (const [condition, value] of Object.entries(node)) if (condition !== 'graft-source') exportTargets(value, out);
  }
  return out;
}

describe.each(Object.keys(workspaces))('npm pack %s', (name) => {
  it('ships dist, README.md, LICENSE and package.json, nothing else', async () => {
    const files = await tarballFiles(tarballs[name]);
    // dist holds the builds, their declarations and maps, and binaries a module names (.wasm beside it)
    const shipped = /^(dist\/.+\.(js|cjs|d\.ts|d\.cts|map|wasm)|README\.md|LICENSE|package\.json)$/;
    const stray = files.filter((f) => !shipped.test(f));
    expect(stray).toEqual([]);
    for (const required of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs']) {
      expect(files).toContain(required);
    }
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/index.d.cts');
  });

  it('points every exports, main, module and types entry at a shipped file', async () => {
    const files = new Set(await tarballFiles(tarballs[name]));
    const pkg = JSON.parse(await readFile(join(repoRoot, workspaces[name], 'package.json'), 'utf8'));
    const targets = [...exportTargets(pkg.exports), pkg.main, pkg.module, pkg.types].map((t: string) =>
      t.replace(/^\.\//, ''),
    );
    expect(targets.filter((t) => !files.has(t))).toEqual([]);
    expect(pkg.exports['.'].import.types).toBe('./dist/index.d.ts');
    expect(pkg.exports['.'].require.types).toBe('./dist/index.d.cts');
  });

  it('ships source maps that carry their sources (src/ itself is not shipped)', async () => {
    const dir = await unpack(tarballs[name]);
    const maps = (await tarballFiles(tarballs[name])).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const parsed = JSON.parse(await readFile(join(dir, map), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      const missing = parsed.sources.filter((_, i) => typeof parsed.sourcesContent?.[i] !== 'string');
      expect({ map, missing }).toEqual({ map, missing: [] });
    }
  });

  it('has no type problems by @arethetypeswrong/cli (node10, node16 CJS and ESM, bundler)', async () => {
    const attw = join(repoRoot, 'node_modules/.bin/attw');
    // attw exits non-zero when it finds a problem; the JSON says which, so read it either way.
    const { stdout } = await run(attw, [tarballs[name], '--format', 'json'], { maxBuffer: 64 << 20 }).catch(
      (e: { stdout: string }) => ({ stdout: e.stdout }),
    );
    const report = JSON.parse(stdout) as { analysis: { packageName: string; problems: unknown[] } };
    expect(report.analysis.packageName).toBe(name);
    expect(report.analysis.problems).toEqual([]);
  });
});
