/**
 * Data at scale (issue 18): peak RSS, decode+feature throughput and fit time of a frozen MobileNet v1 0.25 with a
 * 5-class head (the default fit: features cached, head solved) on N flower photos, streamed
 * (`fromDirectory(dir, { stream: true })`) vs in memory (`fromDirectory(dir)`, one float32 [N, 224, 224, 3] tensor).
 * The N photos are hard links (copies where linking fails) of the 300 shared flowers in a temp folder, 5 classes.
 * Each (N, mode) runs in its own Node process, so its peak RSS (process.resourceUsage().maxRSS) is its own.
 *
 * Streamed sets decode in worker threads (`workers`, default cores - 1). Decode images/s is a decode-only pass
 * (`stream.batches(32)`, no base) over the first min(N, 600) photos; features images/s is the fit's feature pass
 * (decode in the workers, the base on the main thread).
 *
 * Run: node --conditions=graft-source --import tsx bench/data-scale.ts
 * Env: BENCH_SIZES (default 300,1200), BENCH_MODES (default stream,memory), BENCH_BACKEND (default wasm),
 * BENCH_WORKERS (decode workers of a stream; default: graft's default), BENCH_MAX_BYTES (the feature store's bound,
 * `env.featureStore.maxBytes`, for streamed fits: past it features spill to a temp folder; default graft's 256 MiB).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS = path.resolve(here, '..', '../shared/assets');
const FLOWERS = path.join(ASSETS, 'flowers');
const WEIGHTS = path.join(ASSETS, 'mobilenet_v1_0.25_224/layers');

/** `n` photos in class folders under a new temp folder: the shared flowers linked round-robin. */
function linkedFolder(n: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `graft-scale-${n}-`));
  const classes = readdirSync(FLOWERS).filter((c) => !c.includes('.'));
  const files = classes.flatMap((c) => readdirSync(path.join(FLOWERS, c)).map((f) => [c, f]));
  for (const c of classes) mkdirSync(path.join(root, c));
  for (let i = 0; i < n; i++) {
    const [c, f] = files[i % files.length];
    const from = path.join(FLOWERS, c, f);
    const to = path.join(root, c, `${Math.floor(i / files.length)}-${f}`);
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
  return root;
}

/** Decode-only images/s of a stream: its first min(size, 600) photos decoded and resized, no base. */
async function decodeRate(stream: import('@graftjs/core').ImageStream): Promise<number> {
  const part = stream.take(Array.from({ length: Math.min(stream.size, 600) }, (_, i) => i));
  const t0 = performance.now();
  for await (const b of part.batches(32)) b.x.dispose();
  return part.size / ((performance.now() - t0) / 1000);
}

async function child(dir: string, mode: string, backend: string): Promise<void> {
  await import('@graftjs/backend-wasm');
  const { backends, env, fromDirectory, transfer } = await import('@graftjs/core');
  const bound = process.env.BENCH_MAX_BYTES;
  if (bound !== undefined) env.featureStore.maxBytes = Number(bound);
  env.cacheDir = mkdtempSync(path.join(os.tmpdir(), 'graft-scale-cache-'));
  const { mobilenetV1 } = await import('@graftjs/zoo');
  await backends.use(backend);
  const base = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: WEIGHTS });
  const rssBefore = process.resourceUsage().maxRSS;
  const workers = process.env.BENCH_WORKERS === undefined ? undefined : Number(process.env.BENCH_WORKERS);
  const decodePerS = mode === 'stream' ? await decodeRate(await fromDirectory(dir, { stream: true, workers })) : 0;
  const t0 = performance.now();
  const data = mode === 'stream' ? await fromDirectory(dir, { stream: true, workers }) : await fromDirectory(dir);
  const tLoad = performance.now();
  let featuresEnd = tLoad;
  let spilledBytes = 0;
  const onProgress = (e: { phase?: string; featureStore?: { spilledBytes: number } }) => {
    if (e.phase !== 'features') return;
    featuresEnd = performance.now();
    spilledBytes = e.featureStore?.spilledBytes ?? 0;
  };
  const model = await transfer(base).freeze().addHead(5).fit(data, { seed: 1, onProgress });
  const tFit = performance.now();
  const n = data.size;
  const out = {
    n,
    mode,
    backend,
    rssBeforeMB: Math.round(rssBefore / 1024),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    decodePerS: +decodePerS.toFixed(1),
    decodeFeaturesS: +((featuresEnd - t0) / 1000).toFixed(1),
    imagesPerS: +(n / ((featuresEnd - t0) / 1000)).toFixed(1),
    headS: +((tFit - featuresEnd) / 1000).toFixed(1),
    totalS: +((tFit - t0) / 1000).toFixed(1),
    solver: model.lastFit?.solver,
    spilledMB: +(spilledBytes / 2 ** 20).toFixed(2),
  };
  rmSync(env.cacheDir, { recursive: true, force: true });
  console.log(JSON.stringify(out));
}

function main(): void {
  if (!existsSync(FLOWERS) || !existsSync(WEIGHTS)) {
    console.log(`[data-scale] SKIPPED: ${FLOWERS} or ${WEIGHTS} is absent`);
    return;
  }
  const sizes = (process.env.BENCH_SIZES ?? '300,1200').split(',').map(Number);
  const modes = (process.env.BENCH_MODES ?? 'stream,memory').split(',');
  const backend = process.env.BENCH_BACKEND ?? 'wasm';
  console.log(`data-scale on ${backend}, node ${process.version}, ${os.cpus().length} cores`);
  const w = process.env.BENCH_WORKERS ?? 'default';
  console.log(`decode workers: ${w}, feature store bound: ${process.env.BENCH_MAX_BYTES ?? 'default'} bytes`);
  console.log(
    'N | mode | peak RSS MB (before data) | decode images/s | decode+features s | features images/s | head s | fit total s | spilled MB',
  );
  for (const n of sizes) {
    const dir = linkedFolder(n);
    try {
      for (const mode of modes) {
        const args = ['--conditions=graft-source', '--import', 'tsx', fileURLToPath(import.meta.url)];
        const r = spawnSync(process.execPath, [...args, 'child', dir, mode, backend], { encoding: 'utf8' });
        const line = r.stdout.trim().split('\n').at(-1) ?? '';
        if (r.status !== 0 || !line.startsWith('{')) {
          const why = r.stderr
            .trim()
            .split('\n')
            .filter((l) => /Error|error|heap|memory/.test(l))
            .slice(0, 3)
            .join(' / ');
          console.log(`${n} | ${mode} | failed (exit ${r.status}): ${why || r.stderr.trim().split('\n').at(-1)}`);
          continue;
        }
        const o = JSON.parse(line);
        console.log(
          `${o.n} | ${o.mode} | ${o.peakRssMB} (${o.rssBeforeMB}) | ${o.decodePerS || '-'} | ${o.decodeFeaturesS} | ${o.imagesPerS} | ${o.headS} | ${o.totalS} | ${o.spilledMB}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[2] === 'child') await child(process.argv[3], process.argv[4], process.argv[5]);
else main();
