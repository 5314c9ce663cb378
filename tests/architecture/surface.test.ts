import { describe, expect, it } from 'vitest';

const MAX_UMBRELLA_VALUES = 45;

/** What an app cannot import from the umbrella or core's main entry: it is on @graftjs/core/adapter. */
const ADAPTER_FACING = [
  'registerExporter',
  'registerRuntime',
  'getRuntime',
  'getExporter',
  'layersModelFromArtifacts',
  'checkUnits',
  'enforceFrozenBatchNorm',
  'isBackbone',
  'buildHead',
  'classifierHead',
  'registerErrorCodes',
  'log',
];

/** Names a module exports at run time (types have none), or why the surface is over its limit. */
function surfaceProblems(module: object, max: number): string[] {
  const names = Object.keys(module).filter((n) => n !== 'default');
  const problems: string[] = [];
  if (names.length > max) problems.push(`${names.length} value exports, at most ${max}: ${names.sort().join(', ')}`);
  const leaked = ADAPTER_FACING.filter((n) => names.includes(n));
  if (leaked.length) problems.push(`adapter-facing exports on an app entry: ${leaked.join(', ')}`);
  return problems;
}

describe('the public surface', () => {
  it('catches a surface over its limit and an adapter-facing export', () => {
    const wide = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`v${i}`, i]));
    expect(surfaceProblems(wide, 4)).toEqual([]);
    expect(surfaceProblems({ ...wide, extra: 1 }, 4)).toEqual(['5 value exports, at most 4: extra, v0, v1, v2, v3']);
    expect(surfaceProblems({ getRuntime: () => undefined }, 4)).toEqual([
      'adapter-facing exports on an app entry: getRuntime',
    ]);
  });

  it(`the umbrella exports at most ${MAX_UMBRELLA_VALUES} values, none adapter-facing`, async () => {
    const umbrella = await import('graftjs');
    expect(surfaceProblems(umbrella, MAX_UMBRELLA_VALUES)).toEqual([]);
    // what the README's programs import is all there
    for (const name of ['backends', 'Dataset', 'sequential', 'fromDirectory', 'mobilenetV1', 'transfer']) {
      expect(umbrella, name).toHaveProperty(name);
    }
    // ONNX is the opt-in subpath, so an app that never imports it bundles no onnxruntime
    expect(umbrella).not.toHaveProperty('onnxBackbone');
    const onnx = await import('graftjs/onnx');
    for (const name of ['onnxBackbone', 'configureOnnx', 'exportOnnx']) expect(onnx, name).toHaveProperty(name);
  });

  it("core's main entry is an app surface; the adapter subpath has what adapters use", async () => {
    const core = await import('@graftjs/core');
    expect(surfaceProblems(core, Number.POSITIVE_INFINITY)).toEqual([]);
    const adapter = await import('@graftjs/core/adapter');
    for (const name of ADAPTER_FACING.filter(
      (n) => !['registerExporter', 'registerRuntime', 'classifierHead'].includes(n),
    )) {
      expect(adapter, name).toHaveProperty(name);
    }
    // one classifier factory: the heads package hands out core's
    const heads = await import('@graftjs/heads');
    expect(heads.classifier).toBe(adapter.classifier);
  });
});
