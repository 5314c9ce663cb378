import { resolve } from 'node:path';
import { backends } from '@graftjs/core';
import { type SentenceEncoder, sentenceEncoder } from '@graftjs/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fewLabels } from '../../examples/node-quickstart/sms-data';
import { compareOnSms, loadSms } from '../../examples/node-quickstart/sms-spam';
import { ASSETS } from '../helpers/assets';
import '../helpers/backends';
import { memoEncoder } from './memo-encoder';

const sms = loadSms(resolve(ASSETS, 'text/sms_spam/SMSSpamCollection'));
if (!sms) console.warn('[text] SMS spam SKIPPED: ../shared/assets/text/sms_spam is absent');

// 50 labelled messages per class (the 10 per class are a subset), 1,000 held-out messages at the collection's 13%
// spam share; each message is embedded once on wasm (about 1,100 passes through USE Lite)
describe.runIf(sms)('text transfer on SMS spam with few labels', () => {
  let enc: SentenceEncoder;
  beforeAll(async () => {
    await backends.use('wasm');
    enc = await sentenceEncoder();
  });
  afterAll(() => enc.dispose());

  it('beats a bag-of-words logistic regression on spam F1 at 10 and 50 per class (>= 90% accuracy at 50)', async () => {
    const memo = memoEncoder(enc);
    const data = sms as NonNullable<typeof sms>;
    const rows = await compareOnSms(memo, data, { perClass: [10, 50], test: 1000 });
    console.log(
      rows
        .map((r) => `${r.perClass} ${r.method}: accuracy ${r.accuracy.toFixed(3)}, spam F1 ${r.spamF1.toFixed(3)}`)
        .join('\n'),
    );
    // each distinct message embedded once (the collection repeats some messages word for word)
    const split = fewLabels(data, 50, 1000, 7);
    expect(memo.embedded).toBe(new Set([...split.train, ...split.test].map((i) => data.texts[i])).size);
    const f1 = (k: number, method: string) => rows.find((r) => r.perClass === k && r.method === method)?.spamF1 ?? 0;
    expect(f1(50, 'transfer')).toBeGreaterThan(f1(50, 'bag of words'));
    // the floor at both label counts (measured on these 1,000 messages: 0.755 vs 0.688 at 10, 0.947 vs 0.821 at 50)
    expect(f1(10, 'transfer')).toBeGreaterThan(f1(10, 'bag of words'));
    expect(rows.find((r) => r.perClass === 50 && r.method === 'transfer')?.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
