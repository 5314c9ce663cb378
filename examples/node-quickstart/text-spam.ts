import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backends, sentenceEncoder } from 'graftjs';
import { compareOnSms, loadSms, type SmsRow } from './sms-spam';

const here = path.dirname(fileURLToPath(import.meta.url));
const SMS = path.resolve(here, '../../../shared/assets/text/sms_spam/SMSSpamCollection');
/** Held-out messages scored (a seeded stratified subset: embedding all 5,574 takes minutes on 2 cores). */
const TEST = 1000;

/** The third part: a pretrained sentence encoder + head against bag-of-words from scratch, on few labelled SMS. */
export async function runTextSpam(): Promise<SmsRow[] | null> {
  const sms = loadSms(SMS);
  if (!sms) {
    console.log(`text: SKIPPED, ${SMS} is absent (the SMS Spam Collection, see ../shared/assets/README.md)`);
    return null;
  }
  // the encoder runs on wasm where it is registered (cpu embeds about 30x slower, docs/benchmarks.md)
  if ((await backends.list()).some((b) => b.name === 'wasm' && b.available)) await backends.use('wasm');
  const encoder = await sentenceEncoder();
  const rows = await compareOnSms(encoder, sms, { perClass: [10, 50], test: TEST });
  encoder.dispose();
  console.log(
    `\nSMS spam: USE Lite + softmax head vs bag-of-words logistic regression (${TEST} held-out messages, 13% spam)`,
  );
  console.log('| labels per class | method | accuracy | spam F1 | seconds |');
  console.log('|---:|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.perClass} | ${r.method} | ${(100 * r.accuracy).toFixed(1)}% | ${r.spamF1.toFixed(3)} | ${r.seconds.toFixed(1)} |`,
    );
  }
  console.log('seconds: fit plus predicting the held-out messages (for transfer, embedding them is most of it)');
  return rows;
}
