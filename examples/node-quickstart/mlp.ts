import { backends, Dataset, sequential } from 'graftjs';
import { loadDigits } from './digits';
import { progressBar } from './progress-bar';

/** The seed article's first program: an MLP on 28x28 digits, trained from raw pixels. */
export async function runMlp(): Promise<number> {
  const choice = await backends.use('auto');
  console.log(`backend: ${choice.reason}`);

  const { pixels, labels } = loadDigits();
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  const digits = Dataset.from({ data: pixels, shape: [labels.length, 28, 28] }, labels, { classNames });
  const [train, test] = await digits.split(0.2, { seed: 42 });
  digits.dispose();
  console.log(`digits: ${train.size} for training, ${test.size} held out`);

  const mlp = sequential({ inputShape: [28, 28], seed: 1 })
    .flatten()
    .dense(128, { activation: 'relu' })
    .dense(64, { activation: 'relu' })
    .dense(10, { activation: 'softmax' });

  const t0 = performance.now();
  await mlp.fit(train, { epochs: 10, batchSize: 32, seed: 1, callbacks: [progressBar('MLP')] });
  const seconds = (performance.now() - t0) / 1000;

  const { loss, accuracy } = await mlp.evaluate(test);
  console.log(`trained in ${seconds.toFixed(1)} s; final training loss ${mlp.history.loss.at(-1)?.toFixed(4)}`);
  console.log(
    `test accuracy: ${(accuracy * 100).toFixed(2)}% (loss ${loss.toFixed(4)}) on ${test.size} held-out digits`,
  );

  console.log(String(await mlp.confusionMatrix(test)));
  train.dispose();
  test.dispose();
  await mlp.dispose();
  return accuracy;
}
