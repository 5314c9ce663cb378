import { type ClassPrediction, Dataset, type ExtractorBackbone, sequential, transfer } from 'graftjs';
import { fewLabels, loadSms, type Sms, scores } from './sms-data';

export interface SmsRow {
  perClass: number;
  method: 'transfer' | 'bag of words';
  accuracy: number;
  spamF1: number;
  seconds: number;
}

const pickAll = <T>(a: T[], idx: number[]) => idx.map((i) => a[i]);

/** Lower-cased word and number tokens: the baseline's features. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9£$]+/g) ?? [];
}

/** Binary bag-of-words rows over the training texts' vocabulary (words unseen in training are dropped). */
function bagOfWords(train: string[], texts: string[]): { data: Float32Array; shape: [number, number] } {
  const vocab = new Map<string, number>();
  for (const t of train) for (const w of words(t)) if (!vocab.has(w)) vocab.set(w, vocab.size);
  const data = new Float32Array(texts.length * vocab.size);
  texts.forEach((t, i) => {
    for (const w of words(t)) {
      const k = vocab.get(w);
      if (k !== undefined) data[i * vocab.size + k] = 1;
    }
  });
  return { data, shape: [texts.length, vocab.size] };
}

// the same budget for both methods; measured over five seeded splits in docs/text.md
const FIT = { epochs: 200, batchSize: 16, learningRate: 0.05, seed: 1 };

/** A softmax head on the frozen encoder's embeddings (computed once, cached), trained on the few labels. */
async function transferRun(encoder: ExtractorBackbone, sms: Sms, split: { train: number[]; test: number[] }) {
  const t = performance.now();
  const model = await transfer(encoder, { seed: 2 })
    .addHead(2)
    .fit(pickAll(sms.texts, split.train), pickAll(sms.spam, split.train), { seed: 1 });
  const predictions = await model.predict(pickAll(sms.texts, split.test));
  await model.dispose();
  return { predicted: predictions.map((p) => p.index), seconds: (performance.now() - t) / 1000 };
}

/** Logistic regression from scratch on binary bag-of-words features of the same labelled messages. */
async function bagOfWordsRun(sms: Sms, split: { train: number[]; test: number[] }) {
  const t = performance.now();
  const trainTexts = pickAll(sms.texts, split.train);
  const train = bagOfWords(trainTexts, trainTexts);
  const model = sequential({ inputShape: [train.shape[1]], seed: 2 }).dense(2, { activation: 'softmax' });
  const data = Dataset.from(train, pickAll(sms.spam, split.train));
  await model.fit(data, FIT);
  data.dispose();
  const x = bagOfWords(trainTexts, pickAll(sms.texts, split.test));
  const predictions = (await model.predict(x, { batch: true })) as ClassPrediction[];
  await model.dispose();
  return { predicted: predictions.map((p) => p.index), seconds: (performance.now() - t) / 1000 };
}

/** Both methods at each label count, scored on the same seeded stratified test subset. */
export async function compareOnSms(
  encoder: ExtractorBackbone,
  sms: Sms,
  options: { perClass: number[]; test: number; seed?: number },
): Promise<SmsRow[]> {
  const rows: SmsRow[] = [];
  for (const perClass of options.perClass) {
    const split = fewLabels(sms, perClass, options.test, options.seed ?? 7, Math.max(...options.perClass));
    const truth = pickAll(sms.spam, split.test);
    const tl = await transferRun(encoder, sms, split);
    rows.push({ perClass, method: 'transfer', ...scores(tl.predicted, truth), seconds: tl.seconds });
    const bow = await bagOfWordsRun(sms, split);
    rows.push({ perClass, method: 'bag of words', ...scores(bow.predicted, truth), seconds: bow.seconds });
  }
  return rows;
}

export { loadSms };
