import { isGraftError, sequential } from '@graftjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs, weightsOf } from '../helpers/data';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

// A NaN or Inf loss (or weights gone non-finite behind a clipped loss) stops the fit with NON_FINITE_LOSS,
// naming the epoch, and rolls the weights back to the last finite state; nonFinite: 'continue' keeps going.
describe.each(RELIABILITY_BACKENDS)('non-finite losses on %s', (backend) => {
  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
  });
  afterAll(() => releaseBackend(backend));

  // regression targets of 1e20: the squared error (1e40) overflows float32 to Infinity on every backend
  const overflow = () => {
    const { x } = blobs(24);
    return { x, y: x.map(() => [1e20]) };
  };
  const regressor = () =>
    sequential({ inputShape: [4], seed: 1 })
      .dense(6, { activation: 'relu' })
      .dense(1);

  it('stops with NON_FINITE_LOSS, names the epoch, and rolls the weights back', async () => {
    const { x } = blobs(24);
    const model = regressor();
    await model.fit(
      x,
      x.map((r) => [r[0] + r[1]]),
      { epochs: 1, batchSize: 8 },
    );
    const before = (await weightsOf(model.net)).flat();
    const bad = overflow();
    const error = await model.fit(bad.x, bad.y, { epochs: 3, batchSize: 8, shuffle: false }).catch((e) => e);
    expect(isGraftError(error, 'NON_FINITE_LOSS')).toBe(true);
    expect(String(error.message)).toMatch(/epoch 1/);
    expect((await weightsOf(model.net)).flat()).toEqual(before);
    expect(model.history.loss).toHaveLength(1);
    await model.dispose();
  });

  it("keeps going with nonFinite: 'continue'", async () => {
    const model = regressor();
    const bad = overflow();
    await model.fit(bad.x, bad.y, { epochs: 2, batchSize: 8, shuffle: false, nonFinite: 'continue' });
    expect(model.history.loss).toHaveLength(2);
    const finite = (await weightsOf(model.net)).flat().every(Number.isFinite);
    const lossFinite = model.history.loss.every(Number.isFinite);
    expect(finite && lossFinite).toBe(false);
    await model.dispose();
  });
});
