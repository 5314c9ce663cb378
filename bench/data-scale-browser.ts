/**
 * Data at scale in a browser (issue 18): a fit from N photo URLs in headless Chromium on wasm. A loopback server
 * serves the page (tests/browser/stream-page), MobileNet v1 0.25 (shared assets) and N photos: /img/<i>.jpg is
 * shared flower i mod 300, so no file is copied or linked. The page builds a URL stream
 * (`fromImages(urls, labels, { stream: true })`: fetched batch by batch, decoded by createImageBitmap in a pool of
 * Web Workers), holds 20% out (seeded split), fits a frozen MobileNet v1 0.25 and the default head, and evaluates.
 * Each N runs in a fresh Chromium. Memory: the page's peak JS heap (CDP Performance.getMetrics JSHeapUsedSize,
 * sampled every second), the renderer process's peak RSS (VmHWM of the renderer, which holds the workers too) and
 * the wasm heap at the end. Held-out accuracy at N > 300 counts repeats of training photos (i mod 300): it is a
 * check that the fit worked, not a generalisation figure.
 *
 * With BENCH_MODES=memory the page fetches every photo's bytes and reads them into one in-memory Dataset
 * (`fromImages(bytes, labels)`, float32 [N, 224, 224, 3]) instead: the contrast. Decode+features then counts
 * from the first fetch.
 *
 * Run: node --conditions=graft-source --import tsx bench/data-scale-browser.ts
 * Env: BENCH_SIZES (default 300,5000), BENCH_MODES (default stream; stream,memory), BENCH_WORKERS (decode
 * workers; default graft's: cores - 1, at most 4).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from '../tests/browser/launch-chromium';
import type { FitReport, FitRequest } from '../tests/browser/stream-page/main';
import { buildStreamPage, fileRoute, serveStreamPage } from '../tests/browser/stream-page/serve';
import { ASSETS } from '../tests/helpers/assets';

const FLOWERS = path.join(ASSETS, 'flowers');

/** The 300 shared flowers as [class, file], class folders sorted. */
function flowers(): [string, string][] {
  const classes = readdirSync(FLOWERS)
    .filter((c) => !c.includes('.'))
    .sort();
  return classes.flatMap((c) =>
    readdirSync(path.join(FLOWERS, c))
      .sort()
      .map((f) => [c, f] as [string, string]),
  );
}

/** Peak resident set of Chromium's renderer processes, in MB (Linux /proc). */
async function rendererPeakMB(browser: Browser): Promise<number | null> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  let peak: number | null = null;
  for (const p of processInfo.filter((q) => q.type === 'renderer')) {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
    if (m) peak = Math.max(peak ?? 0, Number(m[1]) / 1024);
  }
  return peak;
}

/** Samples the page's JS heap every second until `done` settles; resolves to the peak in MB. */
async function peakHeapMB(page: Page, done: Promise<unknown>): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  done.finally(() => {
    running = false;
  });
  while (running) {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    peak = Math.max(peak, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
    await Promise.race([done.catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
  }
  return peak / 2 ** 20;
}

async function runOne(
  n: number,
  mode: string,
  url: string,
  all: [string, string][],
  workers?: number,
): Promise<string> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('#ready')?.textContent === 'ready');
    const picks = Array.from({ length: n }, (_, i) => all[i % all.length]);
    const request: FitRequest = {
      urls: picks.map((_, i) => `${url}img/${i}.jpg`),
      labels: picks.map(([c]) => c),
      classNames: [...new Set(all.map(([c]) => c))],
      modelUrl: `${url}model/`,
      backend: 'wasm',
      holdOut: 0.2,
      workers,
      memory: mode === 'memory',
    };
    const fit = page.evaluate(
      (r) =>
        (window as unknown as { graftStream: { fitUrls(r: FitRequest): Promise<FitReport> } }).graftStream.fitUrls(r),
      request,
    );
    const heap = await peakHeapMB(page, fit);
    const r = await fit;
    const rss = await rendererPeakMB(browser);
    if (errors.length) console.log(`  page errors: ${errors.join(' / ')}`);
    const train = Math.round(n * 0.8);
    return [
      n,
      mode,
      train,
      heap.toFixed(0),
      rss?.toFixed(0) ?? '-',
      r.wasmHeapBytes === null ? '-' : (r.wasmHeapBytes / 2 ** 20).toFixed(0),
      (r.featuresMs / 1000).toFixed(1),
      r.imagesPerSecond.toFixed(1),
      ((r.fitMs - r.featuresMs) / 1000).toFixed(1),
      (r.fitMs / 1000).toFixed(1),
      r.accuracy?.toFixed(3),
      r.tensorsLeft,
    ].join(' | ');
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (!HAVE_CHROMIUM || !existsSync(FLOWERS)) {
    console.log(`[data-scale-browser] SKIPPED: ${CHROMIUM} or ${FLOWERS} is absent`);
    return;
  }
  const sizes = (process.env.BENCH_SIZES ?? '300,5000').split(',').map(Number);
  const modes = (process.env.BENCH_MODES ?? 'stream').split(',');
  const workers = process.env.BENCH_WORKERS === undefined ? undefined : Number(process.env.BENCH_WORKERS);
  const all = flowers();
  const outDir = await buildStreamPage();
  const img = fileRoute('/img/', (rest) => {
    const i = Number(/^(\d+)\.jpg$/.exec(rest)?.[1]);
    return Number.isInteger(i) ? path.join(FLOWERS, ...all[i % all.length]) : null;
  });
  const server = await serveStreamPage(outDir, [img]);
  console.log(
    `data-scale-browser: headless Chromium (${CHROMIUM}), wasm, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
  );
  console.log(`decode workers: ${workers ?? 'default'}`);
  console.log(
    'N | mode | train N | peak JS heap MB | renderer peak RSS MB | wasm heap MB | decode+features s | images/s | head s | fit s | held-out accuracy | tensors left',
  );
  try {
    for (const n of sizes) for (const mode of modes) console.log(await runOne(n, mode, server.url, all, workers));
  } finally {
    await server.close();
  }
}

await main();
