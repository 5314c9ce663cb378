import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/throw-after-init.ts', import.meta.url));

function runChild(mode: 'throw' | 'reject') {
  const child = spawnSync(process.execPath, ['--conditions=graft-source', '--import', 'tsx', fixture, mode], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: child.status, out: `${child.stdout}\n${child.stderr}`, stderr: child.stderr };
}

// Emscripten's Node glue rethrows from its own uncaughtException/unhandledRejection handlers: the app's
// error is then reported from tf-backend-wasm.node.js and the process exits with 7.
describe('Node hygiene after wasm init', () => {
  it.each([
    ['throw', 'Error: the app threw on its own'],
    ['reject', 'Error: the app rejected on its own'],
  ] as const)("an app's own %s exits with code 1 and its own stack", (mode, message) => {
    const { code, out, stderr } = runChild(mode);
    expect(out).toContain('wasm ready');
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).toContain('throw-after-init.ts');
    expect(stderr.includes('tf-backend-wasm'), "the error is reported from emscripten's handler").toBe(false);
  });

  it("prints no tfjs 'running TensorFlow.js in Node.js' banner", () => {
    const { out } = runChild('throw');
    expect(out).toContain('wasm ready');
    expect(out.includes('Hi, looks like you are running TensorFlow.js in Node.js'), out.slice(0, 500)).toBe(false);
  });
});
