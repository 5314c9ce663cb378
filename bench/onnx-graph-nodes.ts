/**
 * What ONNX Runtime runs for graft's exported MobileNetV2 1.0 224 with a 1000-way head (issue 17, item 1): node
 * counts of the exported graph and of onnxruntime's optimised forms ('basic': constant folding, BatchNormalization
 * and Pad folded into Conv; 'extended': Conv + Clip fused), written with `optimizedModelFilePath` by
 * onnxruntime-node (the 'all' level adds x86-only NCHWc layouts, which onnxruntime-web's wasm never gets); then
 * onnxruntime-node's own profile (`enableProfiling`) of the 'extended' graph on 1 thread, summed by layer kind.
 *
 * Run: node --conditions=graft-source --import tsx bench/onnx-graph-nodes.ts   (BENCH_REPS profiled runs, default 10)
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import '@graftjs/backend-wasm';
import '@graftjs/backend-onnx';
import { backends, transfer } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';
import * as ort from 'onnxruntime-node';
import { decodeOnnx } from '../packages/backend-onnx/src/onnx/decode';
import { benchCommand } from './onnx-timing';

const REPS = Number(process.env.BENCH_REPS ?? 10);

function opCounts(bytes: Uint8Array): string {
  const counts = new Map<string, number>();
  const { nodes } = decodeOnnx(bytes);
  for (const n of nodes) {
    const op = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return `${nodes.length} nodes (${[...counts].map(([op, k]) => `${op} ${k}`).join(', ')})`;
}

/** MobileNetV2's layer names say what each node is; the rest is grouped by op type. */
function kindOf(node: string, op: string): string {
  for (const k of ['depthwise', 'expand', 'project']) if (node.includes(k)) return `${k} convs`;
  return op;
}

async function profile(bytes: Uint8Array, dir: string): Promise<Map<string, number>> {
  const s = await ort.InferenceSession.create(bytes, {
    graphOptimizationLevel: 'extended',
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    enableProfiling: true,
    profileFilePrefix: path.join(dir, 'profile'),
  });
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: 224 * 224 * 3 }, (_, i) => Math.sin(i)),
    [1, 224, 224, 3],
  );
  for (let i = 0; i < REPS; i++) await s.run({ [s.inputNames[0]]: x });
  s.endProfiling();
  await s.release();
  const file = (await readdir(dir)).find((f) => f.startsWith('profile')) as string;
  type Event = { cat: string; name: string; dur: number; args: { op_name?: string } };
  const events = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Event[];
  const us = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const kind = kindOf(e.name, e.args.op_name ?? '?');
    us.set(kind, (us.get(kind) ?? 0) + e.dur / REPS);
  }
  return us;
}

await backends.use('wasm');
const model = transfer(await mobilenetV2({ alpha: 1, seed: 1 })).addHead(1000);
const bytes = (await model.export('onnx')) as Uint8Array;
const dir = await mkdtemp(path.join(os.tmpdir(), 'graft-onnx-graph-'));
try {
  console.log(
    `command: ${benchCommand()}\nload ${os.loadavg()[0].toFixed(1)}; onnxruntime-node ${ort.env.versions.node}\n`,
  );
  console.log(`- exported: ${opCounts(bytes)}`);
  for (const level of ['basic', 'extended'] as const) {
    const out = path.join(dir, `${level}.onnx`);
    const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level, optimizedModelFilePath: out });
    await s.release();
    console.log(`- onnxruntime '${level}': ${opCounts(await readFile(out))}`);
  }
  const us = await profile(bytes, dir);
  const total = [...us.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\nonnxruntime-node profile, 'extended', 1 thread, batch 1, mean of ${REPS} runs: ${(total / 1000).toFixed(1)} ms`,
  );
  console.log('| kind | ms | share |\n|---|---:|---:|');
  for (const [k, v] of [...us].sort((a, b) => b[1] - a[1]))
    if (v / total >= 0.005) console.log(`| ${k} | ${(v / 1000).toFixed(2)} | ${((100 * v) / total).toFixed(1)}% |`);
} finally {
  await rm(dir, { recursive: true, force: true });
  model.dispose();
}
process.exit(0);
