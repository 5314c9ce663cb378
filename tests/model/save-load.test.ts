import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, isGraftError, loadModel, sequential } from '@graftjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';

describe.each(TRAINING_BACKENDS)('save and load on %s', (backend) => {
  const root = mkdtempSync(join(tmpdir(), 'graft-save-'));
  beforeAll(async () => {
    await useBackend(backend);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips weights, class names and history to identical predictions', async () => {
    const { x, y } = blobs(90);
    const names = ['a', 'b', 'c'];
    const model = sequential({ inputShape: [4], seed: 2 })
      .dense(6, { activation: 'tanh' })
      .batchNorm()
      .dense(3, { activation: 'softmax' });
    await model.fit(
      x,
      y.map((i) => names[i]),
      { epochs: 3, learningRate: 0.02 },
    );
    const dir = join(root, 'm1');
    await model.save(dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await loadModel(dir);
    expect(loaded.classNames).toEqual(names);
    expect(loaded.history.loss).toEqual(model.history.loss);
    const a = (await model.predict(x.slice(0, 10))) as ClassPrediction[];
    const b = (await loaded.predict(x.slice(0, 10))) as ClassPrediction[];
    expect(b.map((p) => p.probabilities)).toEqual(a.map((p) => p.probabilities));
    expect(b[0].label).toBe(a[0].label);
    // a loaded model trains further
    await loaded.fit(
      x,
      y.map((i) => names[i]),
      { epochs: 1 },
    );
    expect(loaded.history.loss).toHaveLength(4);
    await model.dispose();
    await loaded.dispose();
  });

  it('refuses missing, non-model, truncated and escaping files with codes', async () => {
    await expect(loadModel(join(root, 'nope'))).rejects.toSatisfy((e) => isGraftError(e, 'LOAD_FAILED'));
    const bad = join(root, 'bad');
    const m = sequential({ inputShape: [2] }).dense(1);
    await m.save(bad);
    writeFileSync(join(bad, 'model.json'), '{"hello": 1}');
    await expect(loadModel(bad)).rejects.toSatisfy((e) => isGraftError(e, 'INVALID_MODEL_FILE'));
    writeFileSync(join(bad, 'model.json'), 'not json');
    await expect(loadModel(bad)).rejects.toSatisfy((e) => isGraftError(e, 'INVALID_MODEL_FILE'));
    const cut = join(root, 'cut');
    await m.save(cut);
    truncateSync(join(cut, 'weights.bin'), 3);
    await expect(loadModel(cut)).rejects.toSatisfy((e) => isGraftError(e, 'WEIGHTS_TRUNCATED'));
    const esc = join(root, 'esc');
    await m.save(esc);
    const j = JSON.parse(readFileSync(join(esc, 'model.json'), 'utf8'));
    j.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(esc, 'model.json'), JSON.stringify(j));
    await expect(loadModel(esc)).rejects.toSatisfy((e) => isGraftError(e, 'INVALID_MODEL_FILE'));
    await expect(m.save('ftp://example.invalid/x')).rejects.toSatisfy((e) => isGraftError(e, 'UNSUPPORTED_TARGET'));
    await m.dispose();
  });
});
