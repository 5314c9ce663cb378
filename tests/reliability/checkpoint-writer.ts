// Child process for checkpoint.test.ts: trains forever on the backend named by argv[3], checkpointing every epoch,
// until killed.
import { backends, sequential } from '@graftjs/core';
import { blobs } from '../helpers/data';
import { prepareBackend } from './training-backends';

const path = process.argv[2];
const backend = process.argv[3] ?? 'cpu';
await prepareBackend(backend);
await backends.use(backend);
const { x, y } = blobs(600);
const model = sequential({ inputShape: [4], seed: 1 })
  .dense(256, { activation: 'relu' })
  .dense(256, { activation: 'relu' })
  .dense(3, { activation: 'softmax' });
console.log('ready');
await model.fit(x, y, { epochs: 100_000, batchSize: 200, checkpoint: { to: path, every: 1 } });
