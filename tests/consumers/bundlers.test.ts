/**
 * Zero-config bundler apps, from the packed tarballs: a Vite app and a webpack 5 app on the umbrella
 * (`graftjs`, no onnx import), a Vite app that opts in with `import 'graftjs/onnx'`, and a Vite app on
 * @graftjs/core + @graftjs/backend-wasm. Each is built with no bundler configuration, served (vite preview; a
 * plain static server, also with COOP/COEP), opened in headless Chromium, and must train on wasm and on webgpu
 * (Chromium's SwiftShader adapter, `--enable-unsafe-webgpu`). Only the opt-in app may emit onnxruntime's wasm.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from '../browser/launch-chromium';
import { makeProject } from './pack';
import { ISOLATION_HEADERS, serveFolder } from './static-server';

const run = promisify(execFile);
const apps = new URL('./apps/', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(apps, path), 'utf8');
const CHANCE = 1 / 3;

if (!HAVE_CHROMIUM) console.warn(`bundlers.test.ts: skipped, no Chromium at ${CHROMIUM} (set GRAFT_CHROMIUM)`);

interface PageResult {
  ok: boolean;
  backend: string;
  reason?: string;
  accuracy?: number;
  onnxAccuracy?: number;
  isolated?: boolean;
  error?: string;
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`],
  );
}

/** What the app costs: its JavaScript gzipped, and each .wasm it emitted. */
function sizes(label: string, dist: string): string[] {
  const files = filesUnder(dist);
  const jsGzip = files
    .filter((f) => /\.m?js$/.test(f))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length, 0);
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const wasmTotal = wasm.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0);
  console.log(
    `[bundle size] ${label}: JS ${kb(jsGzip)} gzip; wasm emitted ${kb(wasmTotal)} (${wasm.map((f) => `${f.split('/').pop()} ${kb(statSync(join(dist, f)).size)}`).join(', ') || 'none'})`,
  );
  return wasm;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `vite preview` of a built app; resolves once it answers. */
async function vitePreview(project: string, cwd: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    join(project, 'node_modules/.bin/vite'),
    ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd,
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`vite preview did not answer on ${url}`);
}

/** Opens the app, waits for its report, and returns it with every URL the page requested. */
async function openApp(browser: Browser, url: string): Promise<{ result: PageResult; requests: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as { graftResult?: unknown }).graftResult !== undefined, null, {
      timeout: 240_000,
    });
    const result = (await page.evaluate(() => (window as { graftResult?: unknown }).graftResult)) as PageResult;
    return { result, requests };
  } finally {
    await page.close();
  }
}

async function hasWebGPUAdapter(browser: Browser, url: string): Promise<boolean> {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}?backend=none`);
    return await page.evaluate(async () => {
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return !!gpu && (await gpu.requestAdapter()) !== null;
    });
  } finally {
    await page.close();
  }
}

function expectTrained(result: PageResult, backend: string): void {
  expect(result.error, 'the page reported an error').toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.backend).toBe(backend);
  expect(result.accuracy).toBeGreaterThan(CHANCE + 0.25);
}

describe.skipIf(!HAVE_CHROMIUM)('zero-config bundlers, from the packed tarballs', () => {
  let browser: Browser;
  let umbrella: string;
  let noOnnx: string;
  const servers: Array<{ close(): Promise<void> } | ChildProcess> = [];
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    umbrella = await makeProject(['graftjs'], {
      tools: ['vite', 'webpack', 'webpack-cli'],
      files: {
        'vite/index.html': read('vite/index.html'),
        'vite/main.js': read('vite/main.js'),
        'vite/train.js': read('shared/train.js'),
        'webpack/index.html': read('webpack/index.html'),
        'webpack/src/index.js': read('webpack/src/index.js'),
        'webpack/src/train.js': read('shared/train.js'),
        'vite-onnx/index.html': read('vite-onnx/index.html'),
        'vite-onnx/main.js': read('vite-onnx/main.js'),
        'vite-onnx/train.js': read('shared/train.js'),
      },
    });
    noOnnx = await makeProject(['@graftjs/core', '@graftjs/backend-wasm'], {
      tools: ['vite'],
      files: {
        'index.html': read('vite-no-onnx/index.html'),
        'main.js': read('vite-no-onnx/main.js'),
        'train.js': read('shared/train.js'),
      },
    });
    const bin = (project: string, tool: string) => join(project, 'node_modules/.bin', tool);
    await run(bin(umbrella, 'vite'), ['build'], { cwd: join(umbrella, 'vite') });
    await run(bin(umbrella, 'webpack'), ['--mode', 'production'], { cwd: join(umbrella, 'webpack') });
    await run('cp', [join(umbrella, 'webpack/index.html'), join(umbrella, 'webpack/dist/index.html')]);
    await run(bin(umbrella, 'vite'), ['build'], { cwd: join(umbrella, 'vite-onnx') });
    await run(bin(noOnnx, 'vite'), ['build'], { cwd: noOnnx });

    const preview = await vitePreview(umbrella, join(umbrella, 'vite'));
    servers.push(preview.child);
    urls.vite = preview.url;
    for (const [name, dist, headers] of [
      ['vite isolated', join(umbrella, 'vite/dist'), ISOLATION_HEADERS],
      ['webpack', join(umbrella, 'webpack/dist'), {}],
      ['webpack isolated', join(umbrella, 'webpack/dist'), ISOLATION_HEADERS],
      ['no-onnx', join(noOnnx, 'dist'), {}],
      ['onnx', join(umbrella, 'vite-onnx/dist'), {}],
    ] as const) {
      const server = await serveFolder(dist, headers);
      servers.push(server);
      urls[name] = server.url;
    }
    browser = await launchChromium();
  }, 1_200_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) 'kill' in s ? s.kill() : await s.close();
  });

  it.each([
    ['vite', 'vite'],
    ['webpack', 'webpack'],
  ])('the %s app trains on wasm with the shipped binaries, one thread when the page is not isolated', async (name) => {
    const { result, requests } = await openApp(browser, urls[name]);
    console.log(`[${name}] ${JSON.stringify(result)}`);
    expectTrained(result, 'wasm');
    expect(result.isolated).toBe(false);
    expect(result.reason).toMatch(/1 thread \(the page is not cross-origin isolated/);
    expect(result.reason).toContain('shipped with @graftjs/backend-wasm');
    // one binary fetched (webpack names it by hash alone): tfjs' SIMD build; onnxruntime's loads only when onnx is used
    expect(requests.filter((u) => u.endsWith('.wasm'))).toHaveLength(1);
    expect(requests.filter((u) => /ort[.-]/.test(u.split('/').pop() ?? ''))).toEqual([]);
  });

  it.each([['vite isolated'], ['webpack isolated']])(
    'the %s app (COOP/COEP) runs threads or falls back to one thread with the reason, never hangs',
    async (name) => {
      const { result } = await openApp(browser, urls[name]);
      console.log(`[${name}] ${JSON.stringify(result)}`);
      expectTrained(result, 'wasm');
      expect(result.isolated).toBe(true);
      expect(result.reason).toMatch(
        /tfjs-backend-wasm-threaded-simd\.wasm, \d+ threads|1 thread \(fell back from threads: .+\)/,
      );
    },
  );

  it.each([['vite'], ['webpack']])('the %s app trains on webgpu (SwiftShader in headless Chromium)', async (name) => {
    expect(await hasWebGPUAdapter(browser, urls[name]), `Chromium at ${CHROMIUM} exposes no WebGPU adapter`).toBe(true);
    const { result } = await openApp(browser, `${urls[name]}?backend=webgpu`);
    console.log(`[${name} webgpu] ${JSON.stringify(result)}`);
    expectTrained(result, 'webgpu');
  });

  it('the app that never uses onnx emits no onnxruntime file and trains on wasm', async () => {
    const wasm = sizes('core + backend-wasm (vite)', join(noOnnx, 'dist'));
    expect(filesUnder(join(noOnnx, 'dist')).filter((f) => /ort[.-]/.test(f.split('/').pop() ?? ''))).toEqual([]);
    expect(
      wasm
        .map((f) =>
          f
            .split('/')
            .pop()
            ?.replace(/-[\w-]{8}\.wasm$/, '.wasm'),
        )
        .sort(),
    ).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    const { result } = await openApp(browser, urls['no-onnx']);
    console.log(`[no-onnx] ${JSON.stringify(result)}`);
    expectTrained(result, 'wasm');
  });

  it('the umbrella apps that never import graftjs/onnx emit no onnxruntime file (sizes recorded)', () => {
    for (const [label, dist] of [
      ['graftjs umbrella (vite)', join(umbrella, 'vite/dist')],
      ['graftjs umbrella (webpack)', join(umbrella, 'webpack/dist')],
    ]) {
      // tfjs' three binaries (webpack names them by hash alone), nothing of onnxruntime's
      expect(sizes(label, dist), label).toHaveLength(3);
      expect(
        filesUnder(dist).filter((f) => /ort[.-]/.test(f.split('/').pop() ?? '')),
        label,
      ).toEqual([]);
    }
  });

  it('the app that opts in with graftjs/onnx emits onnxruntime and predicts on it as well as on tfjs', async () => {
    const wasm = sizes('graftjs + graftjs/onnx (vite)', join(umbrella, 'vite-onnx/dist'));
    // both onnxruntime-web builds are emitted: the wasm-only one and the WebGPU (JSEP) one, for executionProvider 'webgpu'
    const ortFiles = wasm.map((f) => f.split('/').pop() ?? '').filter((f) => /ort[.-]/.test(f));
    expect(ortFiles.filter((f) => f.includes('.jsep'))).toHaveLength(1);
    expect(ortFiles.filter((f) => !f.includes('.jsep'))).toHaveLength(1);
    const { result, requests } = await openApp(browser, urls.onnx);
    console.log(`[onnx] ${JSON.stringify(result)}`);
    expectTrained(result, 'wasm');
    // the wasm execution provider fetches the wasm-only build's binary, never the 28 MB JSEP one
    const fetched = requests.filter((u) => /ort[.-][^/]*\.wasm$/.test(u));
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.filter((u) => u.includes('.jsep'))).toEqual([]);
    // the same network on ONNX Runtime: the same predictions up to float rounding near the class boundaries
    expect(result.onnxAccuracy).toBeGreaterThan(CHANCE + 0.25);
    expect(Math.abs((result.onnxAccuracy ?? 0) - (result.accuracy ?? 0))).toBeLessThanOrEqual(0.03);
  });
});
