import { GraftError } from '../../errors/graft-error';
import type { loadNodeFs } from './node-fs';

type Fs = Awaited<ReturnType<typeof loadNodeFs>>['fs'];
type Path = Awaited<ReturnType<typeof loadNodeFs>>['path'];
export type Entry = { name: string; isDirectory(): boolean; isSymbolicLink(): boolean };

// Code-point order, independent of the machine's locale.
export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One walk of an image folder. Symlinks are followed only to places inside the root (real paths compared), and
 * each real folder is listed once: a link back up the tree (a cycle) or a second link to one folder would
 * otherwise list the same images again, or forever.
 */
export class FolderWalk {
  private readonly visited = new Set<string>();

  private constructor(
    readonly fs: Fs,
    readonly path: Path,
    private readonly rootReal: string,
    private readonly extensions: string[],
  ) {}

  static async start(fs: Fs, path: Path, root: string, extensions: string[]): Promise<FolderWalk> {
    const walk = new FolderWalk(fs, path, await fs.realpath(root), extensions);
    walk.visited.add(walk.rootReal);
    return walk;
  }

  /** The entry's real path, refused when a symlink leads outside the root. */
  private async inside(full: string): Promise<string> {
    const real = await this.fs.realpath(full);
    if (real !== this.rootReal && !real.startsWith(this.rootReal + this.path.sep)) {
      throw new GraftError(
        'INVALID_DATA',
        `expected every image and folder under ${JSON.stringify(this.rootReal)} to stay inside it, but the symlink ${JSON.stringify(full)} leads to ${JSON.stringify(real)}`,
        { path: full, target: real },
      );
    }
    return real;
  }

  /** True for a folder (a symlink to one counts), claiming its real path; a folder seen before is refused. */
  async enterDir(full: string, entry: Entry): Promise<boolean> {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) return false;
    const real = await this.inside(full).catch((e) => {
      if (e instanceof GraftError) throw e;
      return null; // a dangling link: not a folder
    });
    if (real === null || !(await this.fs.stat(real)).isDirectory()) return false;
    if (this.visited.has(real)) {
      throw new GraftError(
        'INVALID_DATA',
        `expected each folder under the image root once, but ${JSON.stringify(full)} leads to ${JSON.stringify(real)} again (a symlink cycle or a second link to one folder)`,
        { path: full, target: real },
      );
    }
    this.visited.add(real);
    return true;
  }

  /** Image files under `dir` (nested folders included), filtered by extension, sorted by relative path. */
  async listImages(dir: string, rel = ''): Promise<string[]> {
    const { fs, path } = this;
    const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })) as Entry[];
    const out: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(dir, relPath);
      if (await this.enterDir(full, e)) out.push(...(await this.listImages(dir, relPath)));
      else if (this.extensions.includes(path.extname(e.name).toLowerCase())) {
        if (e.isSymbolicLink()) await this.inside(full);
        out.push(relPath);
      }
    }
    return rel ? out : out.sort(byCodePoint);
  }
}
