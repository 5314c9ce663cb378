import { existsSync, readFileSync } from 'node:fs';
import { createRng } from 'graftjs';

export interface Sms {
  texts: string[];
  /** 1 = spam, 0 = ham. */
  spam: number[];
}

/** The SMS Spam Collection (label<TAB>text), or null where ../shared/assets is absent. */
export function loadSms(file: string): Sms | null {
  if (!existsSync(file)) return null;
  const out: Sms = { texts: [], spam: [] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    out.texts.push(line.slice(tab + 1));
    out.spam.push(line.slice(0, tab) === 'spam' ? 1 : 0);
  }
  return out;
}

/**
 * A seeded stratified split: `perClass` labelled messages of each class to train on, and `test` messages drawn with
 * the collection's class shares from beyond the first `reserve` of each class. With the same seed and reserve, every
 * label count is tested on the same messages and smaller training sets are subsets of larger ones.
 */
export function fewLabels(
  sms: Sms,
  perClass: number,
  test: number,
  seed: number,
  reserve = perClass,
): { train: number[]; test: number[] } {
  const rng = createRng(seed);
  const byClass = [0, 1].map((c) =>
    shuffle(
      sms.spam.flatMap((s, i) => (s === c ? [i] : [])),
      rng,
    ),
  );
  const train = byClass.flatMap((idx) => idx.slice(0, perClass));
  const spamShare = byClass[1].length / sms.spam.length;
  const nSpam = Math.round(test * spamShare);
  const held = [...byClass[0].slice(reserve, reserve + test - nSpam), ...byClass[1].slice(reserve, reserve + nSpam)];
  return { train, test: held };
}

function shuffle(a: number[], rng: { next(): number }): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Accuracy and the F1 score of the spam class. */
export function scores(predicted: number[], truth: number[]): { accuracy: number; spamF1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let right = 0;
  predicted.forEach((p, i) => {
    if (p === truth[i]) right++;
    if (p === 1 && truth[i] === 1) tp++;
    if (p === 1 && truth[i] === 0) fp++;
    if (p === 0 && truth[i] === 1) fn++;
  });
  return { accuracy: right / truth.length, spamF1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn) };
}
