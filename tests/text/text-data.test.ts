import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, fromTextFile } from '@graftjs/core';
import { MAX_TEXT_CHARS, textRows, textsFromRows } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

const code = (c: string) => expect.objectContaining({ code: c });

describe('texts as data', () => {
  it('round-trips texts through rows, in any order or subset, without leaks', async () => {
    const before = tf.memory().numTensors;
    const texts = ['héllo wörld', 'a', 'emoji 😀 and tabs\tok'];
    const rows = textRows(texts, 'x');
    expect(rows.shape).toEqual([3, 1 + texts[2].length]);
    expect(await textsFromRows(rows)).toEqual(texts);
    const picked = tf.gather(rows, [2, 0]);
    expect(await textsFromRows(picked)).toEqual([texts[2], texts[0]]);
    tf.dispose([rows, picked]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Dataset.from takes string arrays and splits them stratified', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `message number ${i}`);
    const labels = texts.map((_, i) => (i % 4 === 0 ? 'spam' : 'ham'));
    const ds = Dataset.from(texts, labels);
    expect(ds.classNames).toEqual(['ham', 'spam']);
    const [a, b] = await ds.split(0.25, { seed: 3 });
    expect(a.size + b.size).toBe(20);
    const back = await textsFromRows(b.x);
    expect(back.every((t) => texts.includes(t))).toBe(true);
    a.dispose();
    b.dispose();
    ds.dispose();
  });

  it('refuses non-strings, empty texts and over-long texts with codes, leaking nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => Dataset.from(['ok', 3 as unknown as string], [0, 1])).toThrow(code('INVALID_DATA'));
    expect(() => Dataset.from(['ok', '   '], [0, 1])).toThrow(code('EMPTY_TEXT'));
    expect(() => Dataset.from(['ok', 'x'.repeat(MAX_TEXT_CHARS + 1)], [0, 1])).toThrow(code('TEXT_TOO_LONG'));
    expect(() => Dataset.from(['ok', 'fine'], [0])).toThrow(code('LENGTH_MISMATCH'));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses numbers where texts are expected', async () => {
    const numbers = tf.tensor2d([[1, 2, 3]]);
    await expect(textsFromRows(numbers)).rejects.toThrow(code('INVALID_DATA'));
    numbers.dispose();
  });
});

describe('fromTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graft-text-'));

  it('reads label<TAB>text lines', async () => {
    const file = join(dir, 'sms.txt');
    writeFileSync(file, 'ham\tGo until jurong point\nspam\tFree entry in 2 a wkly comp\r\nham\tOk lar\tjoking\n\n');
    const ds = await fromTextFile(file);
    expect(ds.size).toBe(3);
    expect(ds.classNames).toEqual(['ham', 'spam']);
    expect(await textsFromRows(ds.x)).toEqual([
      'Go until jurong point',
      'Free entry in 2 a wkly comp',
      'Ok lar\tjoking',
    ]);
    expect(await ds.classIndices()).toEqual([0, 1, 0]);
    ds.dispose();
  });

  it('reads CSV with a header, quotes, commas and newlines in fields', async () => {
    const file = join(dir, 'reviews.csv');
    writeFileSync(file, '\ufeffid,text,label\n1,"Great, really ""great""",pos\n2,"two\nlines",neg\n3,meh,neg\n');
    const ds = await fromTextFile(file);
    expect(await textsFromRows(ds.x)).toEqual(['Great, really "great"', 'two\nlines', 'meh']);
    expect(ds.classNames).toEqual(['neg', 'pos']);
    ds.dispose();
    const named = await fromTextFile(
      { contents: 'review;x\n' },
      { format: 'csv', textColumn: 'review;x', labelColumn: 'y' },
    ).catch((e) => e);
    expect(named).toMatchObject({ code: 'INVALID_DATA' });
  });

  it('names the bad line, the missing file and the empty file', async () => {
    await expect(fromTextFile({ contents: 'ham\tok\nno tab here\n' })).rejects.toThrow(/line 2/);
    await expect(fromTextFile(join(dir, 'absent.txt'))).rejects.toThrow(code('LOAD_FAILED'));
    await expect(fromTextFile({ contents: '\n\n' })).rejects.toThrow(code('EMPTY_DATA'));
    await expect(fromTextFile({ contents: 'a,b\n' }, { format: 'csv' })).rejects.toThrow(/header/);
    await expect(fromTextFile({ contents: 'label,text\nx,"open\n' }, { format: 'csv' })).rejects.toThrow(/quote/);
    await expect(fromTextFile({ contents: 'x' }, { format: 'xml' as 'csv' })).rejects.toThrow(code('INVALID_OPTION'));
  });
});
