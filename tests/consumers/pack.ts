/**
 * Pack every workspace package and install the tarballs into fresh temp projects, offline.
 *
 * API (shared by every consumer test):
 * - `packAll()` builds once (`npm run build`; skipped when `GRAFT_BUILT=1`, as CI sets right after its
 *   own build) and `npm pack`s each package into one temp dir; resolves to
 *   `{ [npm name]: absolute tarball path }`. Memoised per process, and across vitest workers through
 *   `GRAFT_PACKED_DIR` (global-setup.ts packs once and sets it; set it yourself to reuse a pack).
 * - `makeProject(deps, options)` writes a fresh temp project that depends on the named graft
 *   packages (from the tarballs; the graft packages they depend on come from tarballs too) plus
 *   `options.tools` (e.g. `['typescript', 'vite']`, at the version the repo's lockfile pins), writes
 *   `options.files`, and runs `npm ci --offline`. Resolves to the project directory.
 *
 * Why a derived lockfile: `npm ci` fills the npm cache with tarballs but not with registry metadata,
 * so a plain `npm install --offline` cannot resolve anything. The project gets a package-lock.json
 * cut from the repo's own: every third-party package at the version and integrity the repo tested
 * with, every graft package from its tarball. Nothing is downloaded; a missing package fails with
 * ENOTCACHED instead.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Workspace folder of each published package, keyed by npm name. */
export const workspaces: Readonly<Record<string, string>> = {
  '@graftjs/core': 'packages/core',
  '@graftjs/heads': 'packages/heads',
  '@graftjs/zoo': 'packages/zoo',
  '@graftjs/backend-wasm': 'packages/backend-wasm',
  '@graftjs/backend-webgpu': 'packages/backend-webgpu',
  '@graftjs/backend-onnx': 'packages/backend-onnx',
  graftjs: 'packages/graft',
};

export type Tarballs = Record<string, string>;

const MANIFEST = 'tarballs.json';
let packed: Promise<Tarballs> | undefined;

/** Build every package once, `npm pack` each, and return the tarball paths by npm name. */
export function packAll(options: { build?: boolean } = {}): Promise<Tarballs> {
  packed ??= reusePacked() ?? packFresh(options.build ?? process.env.GRAFT_BUILT !== '1');
  return packed;
}

function reusePacked(): Promise<Tarballs> | undefined {
  const dir = process.env.GRAFT_PACKED_DIR;
  if (!dir || !existsSync(join(dir, MANIFEST))) return undefined;
  return readFile(join(dir, MANIFEST), 'utf8').then((text) => JSON.parse(text) as Tarballs);
}

async function packFresh(build: boolean): Promise<Tarballs> {
  if (build) await run('npm', ['run', 'build'], { cwd: repoRoot, maxBuffer: 64 << 20 });
  const dir = await mkdtemp(join(tmpdir(), 'graft-pack-'));
  const tarballs: Tarballs = {};
  for (const [name, folder] of Object.entries(workspaces)) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: join(repoRoot, folder),
      maxBuffer: 16 << 20,
    });
    const [info] = JSON.parse(stdout) as Array<{ filename: string }>;
    tarballs[name] = join(dir, info.filename);
  }
  await writeFile(join(dir, MANIFEST), JSON.stringify(tarballs, null, 2));
  process.env.GRAFT_PACKED_DIR = dir;
  return tarballs;
}

/** The paths inside a tarball, without the leading `package/`. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 << 20 });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ''))
    .sort();
}

export interface ProjectOptions {
  /** Third-party tools the project needs (`typescript`, `vite`, `webpack`...), at the repo's locked version. */
  tools?: string[];
  /** Extra package.json fields, e.g. `{ type: 'commonjs' }` (default `type: 'module'`). */
  packageJson?: Record<string, unknown>;
  /** Files to write, relative path to content. */
  files?: Record<string, string>;
}

/** A fresh temp project with `deps` installed from the tarballs; resolves to its directory. */
export async function makeProject(deps: string[], options: ProjectOptions = {}): Promise<string> {
  const tarballs = await packAll();
  for (const name of deps) {
    if (!tarballs[name])
      throw new Error(`makeProject: ${name} is not a graft package (${Object.keys(tarballs).join(', ')})`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'graft-app-'));
  const dependencies = Object.fromEntries(deps.map((name) => [name, `file:${tarballs[name]}`]));
  const lock = await deriveLock(tarballs, dependencies, options.tools ?? []);
  const manifest = {
    name: 'graft-consumer',
    version: '0.0.0',
    private: true,
    type: 'module',
    ...options.packageJson,
    dependencies,
    devDependencies: lock.packages[''].devDependencies,
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  for (const [path, text] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: dir,
    maxBuffer: 16 << 20,
  });
  return dir;
}

type LockEntry = Record<string, unknown> & {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  link?: boolean;
  resolved?: string;
};
interface Lock {
  packages: Record<string, LockEntry>;
}

/** Where a root-lock path lands in the consumer project (workspace folders become node_modules/<name>). */
function relocate(path: string): string {
  for (const [name, folder] of Object.entries(workspaces)) {
    if (path === folder) return `node_modules/${name}`;
    if (path.startsWith(`${folder}/`)) return `node_modules/${name}${path.slice(folder.length)}`;
  }
  return path;
}

/** Node's lookup: `from/node_modules/name`, then each ancestor's, then the top level. */
function lookup(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    const entry = lock.packages[candidate];
    if (entry) return entry.link ? (entry.resolved as string) : candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

function edges(entry: LockEntry): Array<[string, boolean]> {
  const optionalPeer = (n: string) => entry.peerDependenciesMeta?.[n]?.optional === true;
  return [
    ...Object.keys(entry.dependencies ?? {}).map((n): [string, boolean] => [n, true]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((n): [string, boolean] => [n, false]),
    ...Object.keys(entry.peerDependencies ?? {})
      .filter((n) => !optionalPeer(n))
      .map((n): [string, boolean] => [n, true]),
  ];
}

/** The repo lockfile cut down to what `deps` and `tools` reach, relocated for the consumer project. */
async function deriveLock(
  tarballs: Tarballs,
  dependencies: Record<string, string>,
  tools: string[],
): Promise<Lock & { packages: { '': LockEntry & { devDependencies: Record<string, string> } } }> {
  const root = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
  const out: Record<string, LockEntry> = {};
  const devDependencies: Record<string, string> = {};
  const queue: string[] = [];
  const visit = (path: string) => {
    if (!(relocate(path) in out)) queue.push(path);
  };
  for (const tool of tools) {
    const path = lookup(root, '', tool);
    const version = path && root.packages[path]?.version;
    if (!path || !version)
      throw new Error(
        `makeProject: tool ${tool} is not in the repo's package-lock.json (add it as an exact root devDependency)`,
      );
    devDependencies[tool] = version;
    visit(path);
  }
  for (const name of Object.keys(dependencies)) visit(workspaces[name]);
  while (queue.length > 0) {
    const path = queue.shift() as string;
    const target = relocate(path);
    if (target in out) continue;
    out[target] = await lockEntry(root, path, tarballs);
    for (const [name, required] of edges(root.packages[path])) {
      const found = lookup(root, path, name);
      if (found) visit(found);
      else if (required && !root.packages[path].optional)
        throw new Error(`makeProject: ${name} (needed by ${path}) is not in the repo's lockfile`);
    }
  }
  return {
    name: 'graft-consumer',
    version: '0.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'graft-consumer', version: '0.0.0', dependencies, devDependencies }, ...out },
  } as never;
}

/**
 * The registry's tarball URL where the repo's lockfile leaves it out (it records only version and integrity):
 * with it, `npm ci --offline` reads the tarball from the cache by that URL and needs no registry metadata, which
 * the cache may hold only in another form (a packument fetched by `npm install` rather than `npm ci`).
 */
function withTarballUrl(path: string, entry: LockEntry): LockEntry {
  if (entry.resolved || entry.link || !entry.version) return entry;
  // an alias (`"string-width-cjs": "npm:string-width@4"`) records the real name
  const name =
    typeof entry.name === 'string'
      ? entry.name
      : path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const file = `${name.split('/').pop()}-${entry.version}.tgz`;
  return { ...entry, resolved: `https://registry.npmjs.org/${name}/-/${file}` };
}

async function lockEntry(root: Lock, path: string, tarballs: Tarballs): Promise<LockEntry> {
  const { dev, devOptional, peer, ...entry } = root.packages[path];
  if (devOptional) entry.optional = true;
  const name = Object.keys(workspaces).find((n) => workspaces[n] === path);
  if (!name) return withTarballUrl(path, entry);
  // A graft package: resolved from its tarball, with the dependencies the packed manifest declares.
  const tarball = tarballs[name];
  const integrity = `sha512-${createHash('sha512')
    .update(await readFile(tarball))
    .digest('base64')}`;
  return { ...entry, resolved: `file:${tarball}`, integrity };
}
