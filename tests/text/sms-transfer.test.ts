import { resolve } from 'node:path';
import { backends } from '@graftjs/core';
import { type SentenceEncoder, sentenceEncoder } from '@graftjs/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOnSms, loadSms } from '../../examples/node-quickstart/sms-spam';
import { ASSETS } from '../helpers/assets';
import '../helpers/backends';
import { memoEncoder } from './memo-encoder';

const sms = loadSms(resolve(ASSETS, 'text/sms_spam/SMSSpamCollection'));
if (!sms) console.warn('[text] SMS spam SKIPPED: ../shared/assets/text/sms_spam is absent');

// 50 labelled messages per class (the 10 per class are a subset), 200 held-out messages at the collection's 13%
// spam share; each message is embedded once on wasm (about 300 passes through USE Lite)
describe.runIf(sms)('text transfer on SMS spam with few labels', () => {
  let enc: SentenceEncoder;
  beforeAll(async () => {
    await backends.use('wasm');
    enc = await sentenceEncoder();
  });
  afterAll(() => enc.dispose());

  it('beats a bag-of-words logistic regression on spam F1 at 10 and 50 per class; >= 90% accuracy at 50', async () => {
    const memo = memoEncoder(enc);
    const rows = await compareOnSms(memo, sms as NonNullable<typeof sms>, { perClass: [10, 50], test: 200 });
    expect(memo.embedded).toBe(300);
    for (const k of [10, 50]) {
      const tl = rows.find((r) => r.perClass === k && r.method === 'transfer');
      const bow = rows.find((r) => r.perClass === k && r.method === 'bag of words');
      expect(tl?.spamF1, `transfer vs bag of words at ${k} per class`).toBeGreaterThan(bow?.spamF1 ?? 1);
    }
    expect(rows.find((r) => r.perClass === 50 && r.method === 'transfer')?.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
