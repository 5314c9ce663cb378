/**
 * Sentence-embedding speed (issue 16): USE Lite (`sentenceEncoder()`, from the installed npm package) embedding real
 * SMS messages (../shared/assets/text/sms_spam) in batches of BATCH, per backend. One untimed warm-up batch first
 * (graph set-up, kernels); then ROUNDS rounds over the same TEXTS messages, the backends interleaved round by round
 * so load from other processes on the shared cores hits each alike. Reported: texts per second, the median round;
 * the tokenizer's own share is measured apart (it runs in plain JavaScript on every backend).
 *
 * Run: node --conditions=graft-source --import tsx bench/text-embed.ts
 * Env: BENCH_BACKENDS (default cpu,wasm), BENCH_TEXTS (default 32: cpu is slow), BENCH_BATCH (default 32), BENCH_ROUNDS (default 3)
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@graftjs/backend-wasm';
import { backends } from '@graftjs/core';
import { type SentenceEncoder, sentenceEncoder } from '@graftjs/zoo';

const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm').split(',').filter(Boolean);
const TEXTS = Number(process.env.BENCH_TEXTS ?? 32);
const BATCH = Number(process.env.BENCH_BATCH ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const here = path.dirname(fileURLToPath(import.meta.url));
const SMS = path.resolve(here, '..', '../shared/assets/text/sms_spam/SMSSpamCollection');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function embedAll(enc: SentenceEncoder, texts: string[]): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < texts.length; i += BATCH) (await enc.embed(texts.slice(i, i + BATCH))).dispose();
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  if (!existsSync(SMS)) {
    console.log(`text-embed: SKIPPED, ${SMS} is absent`);
    return;
  }
  const texts = readFileSync(SMS, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.slice(l.indexOf('\t') + 1))
    .slice(0, TEXTS);
  const encoders = new Map<string, SentenceEncoder>();
  for (const b of BACKENDS) {
    await backends.use(b);
    const enc = await sentenceEncoder();
    await embedAll(enc, texts.slice(0, BATCH));
    encoders.set(b, enc);
  }
  const seconds = new Map<string, number[]>(BACKENDS.map((b) => [b, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of BACKENDS) {
      await backends.use(b);
      const s = await embedAll(encoders.get(b) as SentenceEncoder, texts);
      seconds.get(b)?.push(s);
      console.error(`round ${r + 1} ${b}: ${s.toFixed(1)} s`);
    }
  }
  const enc = encoders.get(BACKENDS[0]) as SentenceEncoder;
  const t = performance.now();
  for (const text of texts) enc.tokenize(text);
  const tokenizeMs = performance.now() - t;
  const pieces = texts.reduce((s, x) => s + enc.tokenize(x).length, 0);
  console.log(
    `\nUSE Lite embedding, ${texts.length} SMS messages (${pieces} pieces), batch ${BATCH}, median of ${ROUNDS}`,
  );
  console.log(
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0].toFixed(1)}`,
  );
  console.log('| backend | texts/s | s per round |\n|---|---:|---:|');
  for (const b of BACKENDS) {
    const s = median(seconds.get(b) as number[]);
    console.log(`| ${b} | ${(texts.length / s).toFixed(1)} | ${s.toFixed(2)} |`);
  }
  console.log(`tokenizer alone: ${((texts.length / tokenizeMs) * 1000).toFixed(0)} texts/s`);
  console.log('command: node --conditions=graft-source --import tsx bench/text-embed.ts');
  for (const e of encoders.values()) e.dispose();
}

await main();
