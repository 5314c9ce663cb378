import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { autoNodeThreads } from '../src/node-threads';

const fixture = fileURLToPath(new URL('./fixtures/node-threads.ts', import.meta.url));

interface Report {
  info: string;
  threads: number;
  stepDiff: number;
  fitDiff: number;
  leaked: number;
}

/** Runs the fixture in its own Node process; a process held open by pthread workers fails on the timeout. */
function runChild(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, ['--conditions=graft-source', '--import', 'tsx', fixture, ...args], {
    encoding: 'utf8',
    timeout: 100_000,
    env: { ...process.env, ...extraEnv },
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('REPORT '));
  return {
    code: child.status,
    signal: child.signal,
    report: line ? (JSON.parse(line.slice(7)) as Report) : undefined,
    out: `${child.stdout}\n${child.stderr}`.slice(-2000),
  };
}

function expectCpuEqual(report: Report): void {
  // same kernels on more threads: XNNPACK splits rows, not sums, so the threaded result matches cpu as closely as one thread does
  expect(report.stepDiff).toBeLessThan(1e-4);
  expect(report.fitDiff).toBeLessThan(1e-4);
  expect(report.leaked).toBe(0);
}

describe('wasm threads in Node', () => {
  it('runs the threaded SIMD module with the count asked for, equal to cpu, and the process still exits on its own', () => {
    const { code, signal, report, out } = runChild(['2']);
    expect(signal, out).toBeNull();
    expect(code, out).toBe(0);
    expect(report?.info).toMatch(/^tfjs-backend-wasm-threaded-simd\.wasm, 2 threads/);
    expect(report?.threads).toBe(2);
    expectCpuEqual(report as Report);
  });

  it('removing the backend ends its threads with it', () => {
    const { code, signal, report, out } = runChild(['3', 'remove']);
    expect(signal, out).toBeNull();
    expect(code, out).toBe(0);
    expect(report?.threads).toBe(3);
  });

  it("'auto' takes half the cores, 1 to 4, and says why where that is one thread", () => {
    expect([1, 2, 3, 4, 8, 16, 64].map(autoNodeThreads)).toEqual([1, 1, 1, 2, 4, 4, 4]);
    const { code, report, out } = runChild(['auto']);
    expect(code, out).toBe(0);
    const cores = os.availableParallelism();
    if (autoNodeThreads(cores) === 1) {
      expect(report?.info).toContain(`1 thread ('auto' runs half the ${cores} cores, at least 1 and at most 4)`);
    } else {
      expect(report?.info).toContain(`${autoNodeThreads(cores)} threads`);
    }
    expectCpuEqual(report as Report);
  });

  it('falls back to one thread, saying why, when the worker script cannot be written', () => {
    const tmp = mkdtempSync(join(os.tmpdir(), 'graft-threads-'));
    try {
      const { code, report, out } = runChild(['2', 'blocked'], { TMPDIR: tmp });
      expect(code, out).toBe(0);
      expect(report?.info).toMatch(/^tfjs-backend-wasm-simd\.wasm, 1 thread \(fell back from threads: .*EISDIR/);
      expect(report?.threads).toBe(1);
      expectCpuEqual(report as Report);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
