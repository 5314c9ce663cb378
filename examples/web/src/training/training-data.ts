import type { TrainingData } from 'graftjs';
import { encode, inputSize, type ModelKind } from './model-kinds';

export interface LabelledClass {
  name: string;
  images: CanvasImageSource[];
}

/** Gives the page a turn (input, paint) before the next slice of work. */
const nextTurn = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Every image of every class, encoded for the model kind, as one typed array plus class indices. Encoding many
 * 224 px pictures takes a while, so it works in slices of about 8 ms and keeps the page responsive.
 */
export async function trainingData(kind: ModelKind, classes: LabelledClass[]): Promise<TrainingData> {
  const size = inputSize(kind);
  const n = classes.reduce((a, c) => a + c.images.length, 0);
  const per = size * size * 3;
  const x = kind === 'cnn' ? new Float32Array(n * per) : new Uint8Array(n * per);
  const y = new Int32Array(n);
  let i = 0;
  let slice = performance.now();
  for (const [label, c] of classes.entries()) {
    for (const img of c.images) {
      if (performance.now() - slice > 8) {
        await nextTurn();
        slice = performance.now();
      }
      x.set(encode(kind, img), i * per);
      y[i++] = label;
    }
  }
  return { x: { data: x, shape: [n, size, size, 3] }, y, classNames: classes.map((c) => c.name) };
}
