/**
 * The web example's text tab in headless Chromium: USE Lite's files come from graftjs/use-lite, emitted by Vite with
 * no configuration; a few sentences per class, Train, then classify as you type. On wasm, then on webgpu when this
 * Chromium offers an adapter (SwiftShader), where the same sentences give the same probabilities.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from './launch-chromium';
import { buildAndPreview, OUT } from './serve-example';

if (!HAVE_CHROMIUM) console.warn(`[graft browser tests] ${CHROMIUM} is absent: the text tab test is SKIPPED`);

const SPAM = [
  'WINNER! You have won a free cruise, call now to claim your prize',
  'URGENT: your mobile number won 1000 pounds cash, text CLAIM to 80082',
  'Free entry in a weekly competition, reply WIN to get your reward',
];
const NORMAL = [
  'Are we still meeting for lunch tomorrow?',
  'I will be home late tonight, do not wait for dinner',
  'Thanks for the lift yesterday, see you at work',
];
const NEW_SPAM = 'Congratulations, you won a free holiday! Call now to claim';
const NEW_NORMAL = 'Can you pick up some bread on your way home?';

describe.skipIf(!HAVE_CHROMIUM)('web example text tab in Chromium', () => {
  let server: PreviewServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const onWasm: Record<string, number[]> = {};

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ({ server, url } = await buildAndPreview(undefined, 'web-text-dist'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => server?.httpServer.close(() => r()) ?? r());
  });

  async function useBackend(name: string): Promise<void> {
    await page.selectOption('#backend', name);
    await page.waitForSelector(`#backend-status[data-backend="${name}"]`, { timeout: 60_000 });
  }

  async function train(): Promise<string> {
    await page.evaluate(() => document.querySelector('#text-panel')?.removeAttribute('data-state'));
    await page.click('#text-train');
    await page.waitForSelector('#text-panel[data-state="trained"], #text-panel[data-state="failed"]', {
      timeout: 200_000,
    });
    const status = (await page.textContent('#status')) ?? '';
    expect(await page.getAttribute('#text-panel', 'data-state'), status).toBe('trained');
    return status;
  }

  /** Types `text` key by key (the debounced classify-as-you-type path) and reads the prediction it settles on. */
  async function classify(text: string): Promise<{ label: string; probabilities: number[] }> {
    await page.fill('#text-input', '');
    await page.evaluate(() => document.querySelector('#text-prediction')?.removeAttribute('data-label'));
    await page.type('#text-input', text, { delay: 5 });
    await page.waitForSelector('#text-prediction[data-label]', { timeout: 60_000 });
    // settle: the last keystroke's answer is the one shown
    await page.waitForFunction((t) => (document.querySelector('#text-input') as HTMLInputElement).value === t, text);
    await page.waitForTimeout(800);
    const label = (await page.getAttribute('#text-prediction', 'data-label')) ?? '';
    const probabilities = JSON.parse((await page.getAttribute('#text-prediction', 'data-probabilities')) ?? '[]');
    return { label, probabilities };
  }

  function expectDistribution(p: number[]): void {
    expect(p).toHaveLength(2);
    for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.abs(p.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-5);
  }

  it('loads USE Lite from the files Vite emitted, trains on 3 + 3 sentences on wasm, classifies as you type', async () => {
    // Vite emitted the npm package's files (hashed names) because the app imports graftjs/use-lite
    const emitted = readdirSync(path.join(OUT, 'web-text-dist', 'assets'));
    expect(emitted.filter((f) => /^group1-shard\dof7-/.test(f))).toHaveLength(7);
    expect(emitted.some((f) => /^vocab-.+\.json$/.test(f))).toBe(true);

    await page.goto(url);
    await useBackend('wasm');
    await page.click('#tab-text');
    expect(await page.isVisible('#text-panel')).toBe(true);
    expect(await page.isVisible('#classes-panel')).toBe(false);
    expect(await page.isDisabled('#text-input')).toBe(true);

    await page.fill('.text-class[data-index="0"] .text-class-name', 'spam');
    await page.fill('.text-class[data-index="0"] .text-class-examples', SPAM.join('\n'));
    await page.fill('.text-class[data-index="1"] .text-class-name', 'normal');
    await page.fill('.text-class[data-index="1"] .text-class-examples', NORMAL.join('\n'));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    expect(await train()).toMatch(/^text: trained on wasm \(lbfgs head, 2 classes\)/);
    // the encoder came from the emitted assets of this origin
    expect(requests.filter((u) => u.startsWith(url) && /group1-shard\dof7-/.test(u))).toHaveLength(7);

    const spam = await classify(NEW_SPAM);
    expect(spam.label).toBe('spam');
    expectDistribution(spam.probabilities);
    const normal = await classify(NEW_NORMAL);
    expect(normal.label).toBe('normal');
    expectDistribution(normal.probabilities);
    onWasm.spam = spam.probabilities;
    onWasm.normal = normal.probabilities;
    await page.screenshot({ path: path.join(OUT, 'web-example-text-tab.png'), fullPage: true });
  }, 300_000);

  it('adds a class and refuses a class without examples, keeping the trained model', async () => {
    await page.click('#text-add-class');
    expect(await page.locator('.text-class').count()).toBe(3);
    await train().catch(() => undefined);
    expect(await page.getAttribute('#text-panel', 'data-state')).toBe('failed');
    expect(await page.textContent('#status')).toContain('class 3 needs a name and at least one example');
    // the model trained before still answers
    expect((await classify(NEW_SPAM)).label).toBe('spam');
    await page.locator('.text-class[data-index="2"]').evaluate((n) => n.remove());
  }, 120_000);

  it('trains and classifies on webgpu (SwiftShader) with the probabilities wasm gave', async () => {
    const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
    if (!hasAdapter) {
      console.warn('[graft browser tests] this Chromium gives no WebGPU adapter: the webgpu text run is SKIPPED');
      return;
    }
    await useBackend('webgpu');
    expect(await train()).toMatch(/^text: trained on webgpu/);
    const spam = await classify(NEW_SPAM);
    const normal = await classify(NEW_NORMAL);
    expect([spam.label, normal.label]).toEqual(['spam', 'normal']);
    console.log('[text tab] wasm', JSON.stringify(onWasm), 'webgpu', JSON.stringify({ spam, normal }));
    for (const [got, want] of [
      [spam.probabilities, onWasm.spam],
      [normal.probabilities, onWasm.normal],
    ])
      for (let i = 0; i < 2; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
  }, 300_000);

  it('logged no console error', () => {
    expect(errors).toEqual([]);
  });
});
