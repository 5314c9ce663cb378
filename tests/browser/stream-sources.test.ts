import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../consumers/static-server';
import { HAVE_ASSETS } from '../helpers/assets';
import { pngFile } from '../helpers/png';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from './launch-chromium';
import type { FitReport, FitRequest } from './stream-page/main';
import { buildStreamPage, serveStreamPage } from './stream-page/serve';

// Streamed sources in Chromium (issue 18): a URL stream is fetched batch by batch and decoded by createImageBitmap
// in a pool of Web Workers (or on the main thread with workers: 0), never through Node's fs. On lossless PNGs the
// browser's decoder gives the JavaScript decoders' pixels, so the streamed fit of a frozen MobileNet equals the
// in-memory fit of the same bytes for the same seed. Driven through tests/browser/stream-page.

if (!HAVE_CHROMIUM) console.warn(`[graft browser tests] ${CHROMIUM} is absent: the streamed-source tests are SKIPPED`);

type Api = {
  sabotageWorkers(kind: 'throw' | 'broken' | null): void;
  fitUrls(r: FitRequest): Promise<FitReport>;
  fitError(r: FitRequest): Promise<{ code: string; message: string }>;
};
declare const graftStream: Api;

/** 20 seeded 40x30 RGB PNGs, two classes: reddish noise and bluish noise. */
function pngs(n = 20): Buffer[] {
  let s = 7;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) => {
    const raw: number[] = [];
    for (let y = 0; y < 30; y++) {
      raw.push(0);
      for (let x = 0; x < 40; x++) {
        const hot = Math.floor(120 + 135 * next());
        const cold = Math.floor(100 * next());
        raw.push(...(i % 2 === 0 ? [hot, cold, cold] : [cold, cold, hot]));
      }
    }
    return pngFile(40, 30, 8, 2, Buffer.from(raw));
  });
}

describe.skipIf(!HAVE_CHROMIUM || !HAVE_ASSETS)('streamed image sources in Chromium', () => {
  let server: Awaited<ReturnType<typeof serveStreamPage>>;
  let browser: Browser;
  let page: Page;
  const workersStarted: string[] = [];
  const errors: string[] = [];
  const images = pngs();
  const png: Route = (req, res) => {
    const i = Number(/^\/png\/(\d+)\.png$/.exec(req.url ?? '')?.[1]);
    if (!Number.isInteger(i) || !images[i]) return false;
    res.writeHead(200, { 'Content-Type': 'image/png' }).end(images[i]);
    return true;
  };

  beforeAll(async () => {
    server = await serveStreamPage(await buildStreamPage(), [png]);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('worker', (w) => workersStarted.push(w.url()));
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#ready')?.textContent === 'ready');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const request = (o: Partial<FitRequest> = {}): FitRequest => ({
    urls: images.map((_, i) => `${server.url}png/${i}.png`),
    labels: images.map((_, i) => (i % 2 === 0 ? 'red' : 'blue')),
    classNames: ['blue', 'red'],
    modelUrl: `${server.url}model/`,
    backend: 'wasm',
    ...o,
  });

  it('a URL stream decoded in Web Workers trains the same head as the same bytes in memory (wasm, same seed)', async () => {
    const r = await page.evaluate((o) => graftStream.fitUrls(o), request({ inMemory: true }));
    expect(workersStarted.filter((u) => u.startsWith('blob:')).length).toBeGreaterThan(0);
    const memory = r.inMemoryWeights as number[];
    expect(r.weights.length).toBe(256 * 2 + 2);
    expect(memory.length).toBe(r.weights.length);
    const worst = Math.max(...r.weights.map((w, i) => Math.abs(w - memory[i])));
    expect(worst).toBeLessThan(1e-4);
    // the head learned something: its weights are not all zero (the check above can fail)
    expect(Math.max(...r.weights.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(r.tensorsLeft).toBe(0);
  }, 240_000);

  it('decoding on the main thread (workers: 0) gives the same head', async () => {
    const before = workersStarted.length;
    const pooled = await page.evaluate((o) => graftStream.fitUrls(o), request());
    const inline = await page.evaluate((o) => graftStream.fitUrls(o), request({ workers: 0 }));
    expect(workersStarted.length).toBeGreaterThan(before);
    const after = workersStarted.length;
    expect(Math.max(...pooled.weights.map((w, i) => Math.abs(w - inline.weights[i])))).toBeLessThan(1e-6);
    await page.evaluate((o) => graftStream.fitUrls(o), request({ workers: 0 }));
    expect(workersStarted.length, 'workers: 0 starts no worker').toBe(after);
  }, 240_000);

  it('where workers cannot start or fail as they start, the main thread decodes: the same head', async () => {
    const pooled = await page.evaluate((o) => graftStream.fitUrls(o), request());
    for (const kind of ['throw', 'broken'] as const) {
      await page.evaluate((k) => graftStream.sabotageWorkers(k), kind);
      const r = await page.evaluate((o) => graftStream.fitUrls(o), request());
      expect(Math.max(...pooled.weights.map((w, i) => Math.abs(w - r.weights[i]))), kind).toBeLessThan(1e-6);
      expect(r.tensorsLeft).toBe(0);
    }
    await page.evaluate(() => graftStream.sabotageWorkers(null));
  }, 240_000);

  it('a URL that fails halfway or bytes that do not decode: a coded error naming it, nothing left', async () => {
    const base = request();
    const missing = `${server.url}png/999.png`;
    const gone = await page.evaluate((o) => graftStream.fitError(o), {
      ...base,
      urls: [...base.urls.slice(0, 15), missing, ...base.urls.slice(16)],
    });
    expect(gone.code).toBe('LOAD_FAILED');
    expect(gone.message).toContain(missing);
    const notImage = `${server.url}index.html`;
    const html = await page.evaluate((o) => graftStream.fitError(o), {
      ...base,
      urls: [...base.urls.slice(0, 15), notImage, ...base.urls.slice(16)],
    });
    expect(html.code).toBe('UNSUPPORTED_IMAGE_FORMAT');
    expect(html.message).toContain(notImage);
    // the page stays usable and leak-free after both
    const ok = await page.evaluate((o) => graftStream.fitUrls(o), base);
    expect(ok.tensorsLeft).toBe(0);
  }, 240_000);

  it('logged no page error', () => {
    expect(errors).toEqual([]);
  });
});
