import { env } from '../../env/env';
import type { SpillTarget } from './spill';
import { spillName, staleSpill } from './spill';

type Fs = typeof import('node:fs');
// Specifiers kept in variables so browser bundlers do not try to pull in Node's modules.
const FS = 'node:fs';
const OS = 'node:os';
const PATH = 'node:path';

/** Spill folders not yet removed; the process's exit removes what a dispose did not (a crash or a lost store). */
const live = new Set<string>();
let exitHook = false;

function removeOnExit(fs: Fs, dir: string): void {
  live.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of live) fs.rmSync(d, { recursive: true, force: true });
  });
}

/**
 * A spill folder `features-<time>-<random>` under `<cache dir>/features` (`env.cacheDir`, else $GRAFT_CACHE_DIR,
 * else ~/.cache/graft), one file per chunk; removed by `dispose` and, failing that, when the process exits
 * (a killed process's folder goes when a later spill opens, once it is a day old).
 */
export async function nodeSpill(): Promise<SpillTarget> {
  const [fs, os, path] = (await Promise.all([
    import(/* @vite-ignore */ FS),
    import(/* @vite-ignore */ OS),
    import(/* @vite-ignore */ PATH),
  ])) as [Fs, typeof import('node:os'), typeof import('node:path')];
  const root = env.cacheDir || process.env.GRAFT_CACHE_DIR || path.join(os.homedir(), '.cache', 'graft');
  const parent = path.join(root, 'features');
  const dir = path.join(parent, spillName());
  await fs.promises.mkdir(dir, { recursive: true });
  // folders a killed process left (no exit hook ran) go once they are a day old
  for (const name of await fs.promises.readdir(parent)) {
    if (staleSpill(name)) await fs.promises.rm(path.join(parent, name), { recursive: true, force: true });
  }
  removeOnExit(fs, dir);
  const file = (i: number) => path.join(dir, `chunk-${String(i).padStart(6, '0')}.f32`);
  return {
    location: dir,
    write: (i, bytes) => fs.promises.writeFile(file(i), bytes),
    read: async (i) => new Uint8Array(await fs.promises.readFile(file(i))),
    async dispose() {
      live.delete(dir);
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}
