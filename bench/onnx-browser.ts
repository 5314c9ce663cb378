/**
 * ONNX predict in the browser (issue 17): one MobileNetV2 1.0 224 (the zoo's architecture, seed 1, a 1000-way head)
 * in headless Chromium, timed on tfjs-wasm and on onnxruntime-web through graft's `predict(x, { backend: 'onnx' })`
 * (the page exports the model to ONNX with graft's exporter on first use), batch 1 and 16, variants interleaved,
 * median of BENCH_REPS after a warm-up. The page (bench/onnx-browser-page, built with Vite from the workspace
 * sources) is served from 127.0.0.1 twice: with COOP/COEP (cross-origin isolated, so both runtimes may use wasm
 * threads) and without (one thread each). Settings: isolated (graft's default threads), isolated-equal (isolated,
 * tfjs-wasm asked for onnxruntime-web's thread count; tfjs caps it at half the cores all the same), plain (no
 * COOP/COEP). Each setting runs in a fresh Chromium.
 *
 * Run: node --conditions=graft-source --import tsx bench/onnx-browser.ts
 * Env: BENCH_REPS (default 5), BENCH_BATCHES (default 1,16), BENCH_SETTINGS (default isolated,isolated-equal,plain),
 *      BENCH_ONNX_THREADS (onnxruntime-web threads; default graft's),
 *      BENCH_CHROMIUM_ARGS (extra Chromium switches, e.g. "--js-flags=--no-wasm-dynamic-tiering": every wasm function
 *      compiled by TurboFan up front, to see whether tiering up is what a short warm-up misses),
 *      BENCH_RAW=1 (plain page only: also time raw onnxruntime-web sessions of the exported model on its WebGPU (JSEP)
 *      build and on its wasm-only build, the latter also with the batch dimension fixed and with no memory arena or
 *      pattern, to see which build and which session options matter). The .wasm files the page fetched are listed.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from '../tests/browser/launch-chromium';
import { fileRoute } from '../tests/browser/stream-page/serve';
import { ISOLATION_HEADERS, serveFolder } from '../tests/consumers/static-server';
import type { BatchTiming, PageInfo, Threads } from './onnx-browser-page/main';
import { benchCommand } from './onnx-timing';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE = path.join(here, 'onnx-browser-page');
const OUT_DIR = path.resolve(here, '../test-output/onnx-browser-dist');
const ORT_DIST = path.resolve(here, '../node_modules/onnxruntime-web/dist');
const REPS = Number(process.env.BENCH_REPS ?? 5);
const BATCHES = (process.env.BENCH_BATCHES ?? '1,16').split(',').map(Number);
const SETTINGS = (process.env.BENCH_SETTINGS ?? 'isolated,isolated-equal,plain').split(',');
const CHROMIUM_ARGS = (process.env.BENCH_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);
const ONNX_THREADS = process.env.BENCH_ONNX_THREADS ? Number(process.env.BENCH_ONNX_THREADS) : undefined;

/** isolated-equal: cross-origin isolated, tfjs-wasm given onnxruntime-web's default thread count (its own is 1 here). */
function threadsOf(setting: string): Threads {
  if (setting !== 'isolated-equal') return { onnx: ONNX_THREADS };
  const n = ONNX_THREADS ?? Math.min(os.cpus().length, 4);
  return { onnx: n, tfjs: n };
}

type Api = {
  setup(threads: Threads): Promise<PageInfo>;
  setupRaw(threads: number): Promise<string[]>;
  time(batch: number, reps: number): Promise<BatchTiming>;
};
declare const onnxBench: Api;

const PAIRS: [string, string][] = [
  ['tfjs-wasm predict', 'onnx predict'],
  ['tfjs-wasm predictTensor', 'onnx predictTensor'],
];

async function runSetting(setting: string): Promise<void> {
  const headers = setting.startsWith('isolated') ? ISOLATION_HEADERS : {};
  const ort = fileRoute('/ort/', (rest) => (rest.includes('/') ? null : path.join(ORT_DIST, rest)));
  const server = await serveFolder(OUT_DIR, headers, [withHeaders(ort, headers)]);
  const browser = await launchChromium(CHROMIUM_ARGS);
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const fetched: string[] = [];
    page.on('requestfinished', async (req) => {
      if (!req.url().endsWith('.wasm')) return;
      const size = (await req.sizes()).responseBodySize;
      fetched.push(`${req.url().replace(server.url, '/')} (${(size / 1e6).toFixed(1)} MB)`);
    });
    page.on('console', (m) => process.env.BENCH_DEBUG && console.log(`[page] ${m.text()}`));
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#ready')?.textContent === 'ready');
    const info = await page.evaluate((t) => onnxBench.setup(t), threadsOf(setting));
    console.log(`\n### ${setting}: crossOriginIsolated ${info.crossOriginIsolated}, ${info.cores} cores`);
    console.log(`- tfjs-wasm: ${info.wasm}`);
    console.log(`- onnx: ${info.onnx}`);
    if (process.env.BENCH_RAW) {
      const names = await page.evaluate((n) => onnxBench.setupRaw(n), info.crossOriginIsolated ? 2 : 1);
      console.log(`- raw: ${names.join(', ')}`);
    }
    console.log(
      '\n| batch | tfjs-wasm predict ms | onnx predict ms | tfjs / onnx | tfjs-wasm predictTensor ms | onnx predictTensor ms | tfjs / onnx | max abs diff (output max) |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const n of BATCHES) {
      const r = await page.evaluate(([b, reps]) => onnxBench.time(b, reps), [n, REPS] as const);
      const cells = PAIRS.flatMap(([a, b]) => [
        r.ms[a].toFixed(1),
        r.ms[b].toFixed(1),
        `${(r.ms[a] / r.ms[b]).toFixed(2)}x`,
      ]);
      console.log(`| ${n} | ${cells.join(' | ')} | ${r.maxAbsDiff.toExponential(1)} (${r.outputMax.toFixed(3)}) |`);
      const rest = Object.keys(r.ms).filter((k) => !PAIRS.flat().includes(k));
      if (rest.length) console.log(`  also: ${rest.map((k) => `${k} ${r.ms[k].toFixed(1)} ms`).join('; ')}`);
    }
    console.log(`- wasm fetched: ${fetched.join(', ')}`);
    if (errors.length) console.log(`page errors: ${errors.join(' / ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The isolation headers on the /ort/ files too (the worker script of the threaded build must carry COEP). */
function withHeaders(route: ReturnType<typeof fileRoute>, headers: Record<string, string>): typeof route {
  return (req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if ((req.url ?? '').includes('.mjs')) res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    if ((req.url ?? '').endsWith('.wasm')) res.setHeader('Content-Type', 'application/wasm');
    return route(req, res);
  };
}

async function main(): Promise<void> {
  if (!HAVE_CHROMIUM) {
    console.log(`[onnx-browser] SKIPPED: ${CHROMIUM} is absent`);
    return;
  }
  await build({
    configFile: path.join(PAGE, 'vite.config.ts'),
    root: PAGE,
    logLevel: 'warn',
    build: { outDir: OUT_DIR, emptyOutDir: true },
  });
  console.log(`command: ${benchCommand()}`);
  console.log(
    `${new Date().toISOString()}; headless Chromium (${CHROMIUM}); ${os.cpus().length} cpus (${os.cpus()[0]?.model}); load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; MobileNetV2 1.0 224 -> 1000 (seed 1); median of ${REPS}, variants interleaved`,
  );
  for (const s of SETTINGS) await runSetting(s);
  console.log(
    `\nload after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
