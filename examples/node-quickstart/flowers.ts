import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromDirectory, mobilenetV1, transfer } from 'graftjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS = path.resolve(here, '../../../shared/assets');

/**
 * The short transfer program with no options on the shared flower photos (5 classes x 60, a seeded 40/20
 * per-class split): a frozen MobileNet v1 0.25 and a head that fit solves (docs/transfer-learning.md).
 * Returns the held-out accuracy, or null (with a message) where ../shared/assets is absent.
 */
export async function runFlowers(): Promise<number | null> {
  if (!existsSync(path.join(ASSETS, 'flowers'))) {
    console.log(`flowers: ${ASSETS} is absent, skipping the no-options transfer program`);
    return null;
  }
  const flowers = await fromDirectory(path.join(ASSETS, 'flowers'), { size: [224, 224] });
  const [train, test] = await flowers.split(1 / 3, { seed: 7 });
  flowers.dispose();
  const from = path.join(ASSETS, 'mobilenet_v1_0.25_224/layers');
  const t0 = performance.now();
  const model = await transfer(await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from }))
    .freeze()
    .addHead(5)
    .fit(train);
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy } = await model.evaluate(test);
  const fit = model.lastFit;
  console.log(
    `flowers, transfer(mobilenetV1 0.25).freeze().addHead(5).fit(train), no options: ${(100 * accuracy).toFixed(1)}% on ${test.size} held-out photos (${fit?.solver}, weightDecay ${fit?.weightDecay}, ${seconds.toFixed(1)} s on ${fit?.backend} with the feature pass)`,
  );
  train.dispose();
  test.dispose();
  await model.dispose();
  return accuracy;
}
