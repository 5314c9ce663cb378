import { Dataset, sequential, transfer } from 'graftjs';
import { loadDigits } from './digits';

interface Row {
  labels: number;
  transferAccuracy: number;
  transferSeconds: number;
  scratchAccuracy: number;
  scratchSeconds: number;
}

/** Indices of the first `k` samples of each class among `classes`, and the rest. */
export function pick(labels: number[], classes: number[], k: number, skip: Set<number>): number[] {
  const out: number[] = [];
  for (const c of classes) {
    let n = 0;
    for (let i = 0; i < labels.length && n < k; i++) {
      if (labels[i] === c && !skip.has(i)) {
        out.push(i);
        n++;
      }
    }
  }
  return out;
}

export function subset(pixels: Float32Array, labels: number[], idx: number[], offset: number): Dataset {
  const data = new Float32Array(idx.length * 784);
  idx.forEach((i, j) => {
    data.set(pixels.subarray(i * 784, (i + 1) * 784), j * 784);
  });
  return Dataset.from(
    { data, shape: [idx.length, 28, 28, 1] },
    idx.map((i) => labels[i] - offset),
  );
}

/** The seed article's second program on digits: a CNN base learnt on 0-4, reused for 5-9 with few labels. */
export async function runTransferDigits(): Promise<Row[]> {
  const { pixels, labels } = loadDigits();
  const order = Array.from(labels.keys());
  // a fixed shuffle so "the first k per class" is a random sample
  for (let i = order.length - 1; i > 0; i--) {
    const j = (i * 7919 + 13) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const shuffledLabels = order.map((i) => labels[i]);
  const shuffledPixels = new Float32Array(pixels.length);
  order.forEach((src, dst) => {
    shuffledPixels.set(pixels.subarray(src * 784, (src + 1) * 784), dst * 784);
  });

  const low = [0, 1, 2, 3, 4];
  const high = [5, 6, 7, 8, 9];
  const baseData = subset(shuffledPixels, shuffledLabels, pick(shuffledLabels, low, 10_000, new Set()), 0);
  const testIdx = pick(shuffledLabels, high, 300, new Set());
  const test = subset(shuffledPixels, shuffledLabels, testIdx, 5);
  const taken = new Set(testIdx);

  // the Keras mnist_transfer_cnn shape: conv feature layers, then a dense classifier with dropout
  const cnn = () =>
    sequential({ inputShape: [28, 28, 1], seed: 5 })
      .conv2d(32, 3, { activation: 'relu' })
      .maxPool2d(2)
      .conv2d(64, 3, { activation: 'relu' })
      .maxPool2d(2)
      .flatten({ name: 'features' })
      .dropout(0.25)
      .dense(128, { activation: 'relu' })
      .dropout(0.5)
      .dense(5, { activation: 'softmax' });

  const t0 = performance.now();
  const base = cnn();
  await base.fit(baseData, { epochs: 4, batchSize: 64, seed: 1 });
  console.log(
    `base CNN on digits 0-4: ${baseData.size} images, ${((performance.now() - t0) / 1000).toFixed(1)} s, training accuracy ${(100 * (base.history.accuracy.at(-1) ?? 0)).toFixed(1)}%`,
  );
  baseData.dispose();

  const rows: Row[] = [];
  for (const k of [10, 50]) {
    const few = subset(shuffledPixels, shuffledLabels, pick(shuffledLabels, high, k, taken), 5);
    // the same budget for both: 15 epochs, batch 16, Adam at 3e-3
    const fit = { epochs: 15, batchSize: 16, learningRate: 0.003, seed: 1 };

    let t = performance.now();
    // a fresh copy of the pretrained base for each label count
    const reused = cnn();
    reused.net.setWeights(base.net.getWeights());
    const tl = await transfer(reused, { seed: 2 }).cut('features').freeze().addHead(5).fit(few, fit);
    const transferAccuracy = (await tl.evaluate(test)).accuracy;
    const transferSeconds = (performance.now() - t) / 1000;

    t = performance.now();
    const scratch = await cnn().fit(few, fit);
    const scratchAccuracy = (await scratch.evaluate(test)).accuracy;
    const scratchSeconds = (performance.now() - t) / 1000;
    rows.push({ labels: k, transferAccuracy, transferSeconds, scratchAccuracy, scratchSeconds });
    few.dispose();
    await tl.dispose();
    await scratch.dispose();
  }

  console.log(`\ntransfer to digits 5-9 (${test.size} held-out test digits)`);
  console.log('| labels per class | transfer accuracy | transfer s | scratch accuracy | scratch s |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.labels} | ${(100 * r.transferAccuracy).toFixed(1)}% | ${r.transferSeconds.toFixed(1)} | ${(100 * r.scratchAccuracy).toFixed(1)}% | ${r.scratchSeconds.toFixed(1)} |`,
    );
  }
  test.dispose();
  await base.dispose();
  return rows;
}
