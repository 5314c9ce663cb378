// Child process for checkpoint.test.ts: trains forever, checkpointing every epoch, until killed.
import { backends, sequential } from '@graft/core';
import { blobs } from '../helpers/data';

const path = process.argv[2];
await backends.use('cpu');
const { x, y } = blobs(600);
const model = sequential({ inputShape: [4], seed: 1 })
  .dense(256, { activation: 'relu' })
  .dense(256, { activation: 'relu' })
  .dense(3, { activation: 'softmax' });
console.log('ready');
await model.fit(x, y, { epochs: 100_000, batchSize: 200, checkpoint: { to: path, every: 1 } });
