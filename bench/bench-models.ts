// The models and random data the speed benches share (backends.ts, wasm-profile.ts, predict-ab.ts), so every
// table of "MLP 784-128-64-10" or "MobileNetV2 0.35 96x96" measures the same build on the same data.
import { createRng, Dataset, sequential, transfer } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';

/** MLP 784-128-64-10 on 28x28 inputs, seed 1 (PyTorch's twin: torch_models.py "mlp"). */
export function benchMlp() {
  return sequential({ inputShape: [28, 28], seed: 1 })
    .flatten()
    .dense(128, { activation: 'relu' })
    .dense(64, { activation: 'relu' })
    .dense(10, { activation: 'softmax' });
}

/** MobileNetV2 alpha 0.35 at 96x96x3 with a 10-way head, seed 1 (torch_models.py "mobilenet"). */
export async function benchMobilenet() {
  return transfer(await mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], seed: 1 }), { seed: 1 }).addHead(10);
}

/** n seeded uniform samples of `shape`, labels cycling through `classes`. */
export function benchData(shape: number[], n: number, classes = 10): Dataset {
  const rng = createRng(3);
  const x = new Float32Array(n * shape.reduce((a, b) => a * b, 1)).map(() => rng.next());
  return Dataset.from(
    { data: x, shape: [n, ...shape] },
    Array.from({ length: n }, (_, i) => i % classes),
  );
}
