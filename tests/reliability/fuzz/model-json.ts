import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '@graftjs/core';
import fc from 'fast-check';
import { type FuzzOutcome, runCase } from './outcome';

/** A valid saved model: the parsed model.json and its weights. */
export interface ModelFiles {
  json: Record<string, unknown>;
  weights: Uint8Array;
}

export function readModelFiles(dir: string): ModelFiles {
  return {
    json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
    weights: new Uint8Array(readFileSync(join(dir, 'weights.bin'))),
  };
}

type Path = (string | number)[];

/** Every path into the JSON tree (objects and arrays), the places a mutation may hit. */
function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) paths(value[i], [...at, i], out);
  } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

const DEEP = '"__graft_deep__"';

/** Values a hostile model.json may hold where a sane one holds something else. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 1, 0.5, 1e9, 2 ** 31, 2 ** 53, -(2 ** 31), 1e308, -1e308, null, true, false),
  fc.constantFrom(
    '',
    'float32',
    'int32',
    'bool',
    'complex64',
    'string',
    '../../etc/passwd',
    '/etc/passwd',
    'x'.repeat(5000),
  ),
  fc.array(fc.constantFrom(-1, 0, 1, 3, 1e6, 1e9, 2 ** 31, 0.5), { maxLength: 6 }),
  // a key JSON.parse keeps as an own property and a careless merge would turn into a prototype
  fc
    .constantFrom(
      '{"__proto__": {"polluted": "yes"}}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
      '{"prototype": {"isAdmin": true}, "__proto__": []}',
    )
    .map((t) => JSON.parse(t)),
  fc.constant(DEEP),
  fc.jsonValue({ maxDepth: 3 }),
);

export type ModelJsonMutation =
  | { kind: 'set'; pick: number; value: unknown; depth: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'addKey'; pick: number; key: string; value: unknown; depth: number }
  | { kind: 'truncateJson'; fraction: number }
  | { kind: 'weights'; length: number };

const depth = fc.integer({ min: 10, max: 20_000 });

/** One or more edits of a valid model.json and weights.bin. */
export const modelJsonMutations: fc.Arbitrary<ModelJsonMutation[]> = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostileValue, depth }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('addKey' as const),
        pick: fc.nat(),
        key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'polluted'),
        value: hostileValue,
        depth,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('truncateJson' as const),
        fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('weights' as const), length: fc.nat({ max: 4096 }) }) },
  ),
  { minLength: 1, maxLength: 3 },
);

/** Applies the mutations; returns the files to write (model.json as text). */
export function mutate(files: ModelFiles, mutations: ModelJsonMutation[]): { text: string; weights: Uint8Array } {
  const json = structuredClone(files.json);
  let weights = files.weights;
  let cut: number | null = null;
  let deep = 0;
  for (const m of mutations) {
    if (m.kind === 'weights') {
      weights = new Uint8Array(m.length);
      weights.set(files.weights.subarray(0, m.length));
    } else if (m.kind === 'truncateJson') {
      cut = m.fraction;
    } else if (m.kind === 'addKey') {
      const objects = paths(json).filter((p) => isObject(get(json, p)));
      const parent = get(json, objects[m.pick % objects.length]) as object;
      if (m.value === DEEP) deep = m.depth;
      // defineProperty: a plain assignment of "__proto__" would set the prototype instead of adding the key
      Object.defineProperty(parent, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    } else {
      const all = paths(json).filter((p) => p.length > 0);
      if (all.length === 0) continue;
      const path = all[m.pick % all.length];
      const parent = get(json, path.slice(0, -1)) as Record<string | number, unknown>;
      const key = path[path.length - 1];
      if (m.kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      } else {
        if (m.value === DEEP) deep = m.depth;
        parent[key] = m.value;
      }
    }
  }
  let text = JSON.stringify(json);
  if (deep) text = text.replace(DEEP, `${'['.repeat(deep)}1${']'.repeat(deep)}`);
  if (cut !== null) text = text.slice(0, Math.floor(text.length * cut));
  return { text, weights };
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(root: unknown, path: Path): unknown {
  let v = root as Record<string | number, unknown>;
  for (const k of path) v = v[k] as Record<string | number, unknown>;
  return v;
}

/** Writes the mutated files into `dir` and loads them with core's loadModel (64 MiB cap). */
export async function loadMutated(
  dir: string,
  files: ModelFiles,
  mutations: ModelJsonMutation[],
): Promise<FuzzOutcome> {
  const { text, weights } = mutate(files, mutations);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), text);
  writeFileSync(join(dir, 'weights.bin'), weights);
  return runCase(
    () => loadModel(dir, { maxBytes: 64 * 2 ** 20 }),
    (model) => model.dispose(),
  );
}
