import { describe, expect, it } from 'vitest';
import { longFunctions, MAX_FUNCTION_LINES } from './function-length';
import { backwardImports, importCycles, importGraph } from './import-graph';
import { packageSources, type SourceFiles, workspaceEntries } from './sources';
import {
  ADAPTER_NAMES,
  CONSOLE_OUTPUT,
  findHits,
  isCoreSource,
  LOG_MODULE,
  RUNTIME_MODULE,
  RUNTIME_PROBE,
} from './text-rules';

const files = packageSources();
const workspace = workspaceEntries();
const fixture = (entries: Record<string, string>): SourceFiles => new Map(Object.entries(entries));
const list = (items: { where: string }[]) => items.map((i) => i.where);

describe('import cycles among packages/*/src', () => {
  it('finds a cycle through a type-only import, a dynamic import and a workspace package import', () => {
    const typeCycle = fixture({
      'p/a.ts': "import { b } from './b';",
      'p/b.ts': "import type { A } from './a';",
    });
    expect(importCycles(importGraph(typeCycle, new Map()))).toEqual([['p/a.ts', 'p/b.ts']]);
    const dynamicCycle = fixture({
      'p/core/index.ts': "export * from './model';",
      'p/core/model.ts': "const m = await import('./save');",
      'p/core/save.ts': "import { Model } from './model';",
      'p/zoo/index.ts': "import { x } from '@scope/core';",
    });
    const ws = new Map([['@scope/core', 'p/core/index.ts']]);
    expect(importCycles(importGraph(dynamicCycle, ws))).toEqual([['p/core/model.ts', 'p/core/save.ts']]);
    const acyclic = fixture({
      'p/a.ts': "import './b';",
      'p/b.ts': "import { x } from '@scope/core';",
      'p/core/index.ts': 'export const x = 1;',
    });
    expect(importCycles(importGraph(acyclic, ws))).toEqual([]);
  });

  it('resolves workspace packages through their graft-source entries, the adapter subpath included', () => {
    expect(workspace.get('@graftjs/core')).toBe('packages/core/src/index.ts');
    expect(workspace.get('@graftjs/core/adapter')).toBe('packages/core/src/adapter.ts');
    expect(workspace.get('graftjs')).toBe('packages/graft/src/index.ts');
  });

  it('has none', () => {
    expect(importCycles(importGraph(files, workspace))).toEqual([]);
  });
});

describe('dependencies point one way: adapters, heads and zoo on core, never back', () => {
  it('catches core importing an adapter and an adapter importing the umbrella', () => {
    const src = fixture({
      'packages/core/src/a.ts': "import { x } from '@graftjs/backend-wasm';",
      'packages/backend-wasm/src/index.ts': "import { y } from 'graftjs'; import { z } from '@graftjs/core';",
      'packages/graft/src/index.ts': "export * from '@graftjs/backend-wasm';",
      'packages/core/src/index.ts': 'export const z = 1;',
    });
    const ws = new Map([
      ['@graftjs/core', 'packages/core/src/index.ts'],
      ['@graftjs/backend-wasm', 'packages/backend-wasm/src/index.ts'],
      ['graftjs', 'packages/graft/src/index.ts'],
    ]);
    expect(backwardImports(importGraph(src, ws))).toEqual([
      'packages/core/src/a.ts -> packages/backend-wasm/src/index.ts',
      'packages/backend-wasm/src/index.ts -> packages/graft/src/index.ts',
    ]);
  });

  it('holds for packages/*/src', () => {
    expect(backwardImports(importGraph(files, workspace))).toEqual([]);
  });
});

describe("core's source names no adapter", () => {
  it('catches a name in code, a string or a comment, in any case', () => {
    const hits = findHits(
      fixture({
        'packages/core/src/x.ts': "// runs on WebGPU\nconst ok = 1;\nconst n = 'onnx';",
        'packages/zoo/src/y.ts': "const wasm = 'wasm';",
      }),
      ADAPTER_NAMES,
      isCoreSource,
    );
    expect(list(hits)).toEqual(['packages/core/src/x.ts:1', 'packages/core/src/x.ts:3']);
  });

  it('holds for packages/core/src', () => {
    expect(findHits(files, ADAPTER_NAMES, isCoreSource).map((h) => `${h.where}: ${h.text}`)).toEqual([]);
  });
});

describe('runtime detection and console output each live in one core module', () => {
  it('catches a private isNode and a direct console.warn', () => {
    const own = fixture({
      'packages/zoo/src/a.ts': "const isNode = typeof process !== 'undefined' && !!process.versions?.node;",
      'packages/core/src/env/log.ts': 'console.warn(message);',
      'packages/zoo/src/b.ts': "if (bad) console.warn('fallback');",
    });
    expect(list(findHits(own, RUNTIME_PROBE, (p) => p !== RUNTIME_MODULE))).toEqual(['packages/zoo/src/a.ts:1']);
    expect(list(findHits(own, CONSOLE_OUTPUT, (p) => p !== LOG_MODULE))).toEqual(['packages/zoo/src/b.ts:1']);
  });

  it('holds for packages/*/src', () => {
    expect(list(findHits(files, RUNTIME_PROBE, (p) => p !== RUNTIME_MODULE))).toEqual([]);
    expect(list(findHits(files, CONSOLE_OUTPUT, (p) => p !== LOG_MODULE))).toEqual([]);
  });
});

describe(`no function in packages/*/src is over ${MAX_FUNCTION_LINES} lines (SIMD emitters aside)`, () => {
  it('measures declarations, methods and arrows by their first and last line', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
    const src = fixture({
      'packages/a/src/f.ts': `export function long() {\n  let x = 0;\n${body(79)}\n}\nexport const short = () => {\n${body(10)}\n};`,
      'packages/a/src/c.ts': `class C {\n  method() {\n${body(5)}\n  }\n  other = () => {\n${body(80)}\n  };\n}`,
      'packages/backend-wasm/src/kernels/simd.ts': `export function emit() {\n${body(200)}\n}`,
    });
    expect(longFunctions(src)).toEqual([
      { where: 'packages/a/src/f.ts:1', name: 'long', lines: 82 },
      { where: 'packages/a/src/c.ts:9', name: 'other', lines: 82 },
    ]);
  });

  it('holds for packages/*/src', () => {
    expect(longFunctions(files).map((f) => `${f.where} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });
});
