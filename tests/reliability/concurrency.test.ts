import { backends, type ClassPrediction, isGraftError, type Model } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs, weightsOf } from '../helpers/data';
import { tinyClassifier } from './fixtures';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

const { x, y } = blobs(48);
const FIT = { epochs: 4, batchSize: 8, seed: 5, learningRate: 0.01 };

/** Same seeds, same data: the weights a model ends with when nothing else runs. */
async function trainedAlone(seed: number): Promise<number[][]> {
  const m = tinyClassifier(seed);
  await m.fit(x, y, FIT);
  const w = await weightsOf(m.net);
  await m.dispose();
  return w;
}

describe.each(RELIABILITY_BACKENDS)('concurrency on %s', (backend) => {
  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
  });
  afterAll(() => releaseBackend(backend));

  it('two models training at once end exactly as when trained one after the other', async () => {
    const aloneA = await trainedAlone(1);
    const aloneB = await trainedAlone(2);
    expect(aloneA).not.toEqual(aloneB); // different seeds: a mix-up between the two would show
    const a = tinyClassifier(1);
    const b = tinyClassifier(2);
    let interleaved = 0;
    let last = '';
    const note = (who: string) => () => {
      if (last && last !== who) interleaved++;
      last = who;
    };
    await Promise.all([a.fit(x, y, { ...FIT, onBatchEnd: note('a') }), b.fit(x, y, { ...FIT, onBatchEnd: note('b') })]);
    expect(interleaved, 'the two fits really ran at the same time').toBeGreaterThan(2);
    expect(await weightsOf(a.net)).toEqual(aloneA);
    expect(await weightsOf(b.net)).toEqual(aloneB);
    await a.dispose();
    await b.dispose();
  });

  it('predict during a fit answers with valid predictions, and the fit is unharmed', async () => {
    const alone = await trainedAlone(3);
    const model = tinyClassifier(3);
    const before = tf.memory().numTensors;
    let done = false;
    const fit = model.fit(x, y, FIT).finally(() => {
      done = true;
    });
    let answered = 0;
    while (!done) {
      try {
        const p = (await model.predict(x.slice(0, 3))) as ClassPrediction[];
        expect(p).toHaveLength(3);
        for (const row of p) expect(row.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
        answered++;
      } catch (e) {
        // allowed: a clear refusal
        expect(isGraftError(e), String(e)).toBe(true);
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    await fit;
    expect(answered).toBeGreaterThan(0);
    expect(await weightsOf(model.net)).toEqual(alone);
    const own = model.net.weights.length + 2 * model.net.trainableWeights.length + 2;
    expect(tf.memory().numTensors - before, 'no leak from predicts during the fit').toBe(own);
    await model.dispose();
  });

  it("backends.use('cpu') during a fit is refused with BACKEND_SWITCH_DURING_FIT; the fit completes unharmed", async () => {
    const alone = await trainedAlone(4);
    const model = tinyClassifier(4);
    const refusals: string[] = [];
    await model.fit(x, y, {
      ...FIT,
      onEpochEnd: async () => {
        const e = await backends.use('cpu').catch((err: unknown) => err);
        refusals.push(isGraftError(e) ? e.code : `not refused: ${String(e)}`);
      },
    });
    expect(refusals).toEqual(Array(FIT.epochs).fill('BACKEND_SWITCH_DURING_FIT'));
    expect(tf.getBackend()).toBe(backend);
    expect(backends.current()?.name).toBe(backend);
    expect(await weightsOf(model.net)).toEqual(alone);
    await model.dispose();
  });

  it('a second fit of the same model while the first runs is refused with FIT_IN_PROGRESS', async () => {
    const alone = await trainedAlone(6);
    const model = tinyClassifier(6);
    const first = model.fit(x, y, FIT);
    await expect(model.fit(x, y, FIT)).rejects.toSatisfy((e) => isGraftError(e, 'FIT_IN_PROGRESS'));
    await first;
    expect(model.history.loss).toHaveLength(FIT.epochs);
    expect(await weightsOf(model.net)).toEqual(alone);
    await model.dispose();
  });
});

describe('switching backends between calls', () => {
  const pairs = RELIABILITY_BACKENDS.flatMap((from) =>
    RELIABILITY_BACKENDS.filter((to) => to !== from).map((to) => [from, to]),
  );
  beforeAll(async () => {
    for (const b of RELIABILITY_BACKENDS) await prepareBackend(b);
  });
  afterAll(() => releaseBackend('webgpu'));

  it.each(pairs)('a model trained on %s predicts the same after switching to %s', async (from, to) => {
    await useBackend(from);
    const model: Model = tinyClassifier(7);
    await model.fit(x, y, { ...FIT, epochs: 10 });
    const probs = async () => ((await model.predict(x)) as ClassPrediction[]).flatMap((p) => p.probabilities);
    const there = await probs();
    const accuracy =
      ((await model.predict(x)) as ClassPrediction[]).filter((p, i) => p.index === y[i]).length / x.length;
    expect(accuracy).toBeGreaterThan(0.9);
    await useBackend(to);
    expect(tf.getBackend()).toBe(to);
    const here = await probs();
    expect(Math.max(...here.map((v, i) => Math.abs(v - there[i])))).toBeLessThan(1e-5);
    // and it keeps training on the new backend
    await model.fit(x, y, { ...FIT, epochs: 1 });
    expect(model.history.loss).toHaveLength(11);
    await model.dispose();
    await useBackend(from);
  });
});
