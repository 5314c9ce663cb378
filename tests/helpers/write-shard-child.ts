/**
 * A separate Node process writing one feature shard, as a worker of a sharded extraction would:
 * `node --conditions=graft-source --import tsx write-shard-child.ts <path> <shard> <of> <perClass>`.
 * Prints the shard's header as JSON.
 */
import { backends, writeFeatureShard } from '@graftjs/core';
import { flowerStream, tinyModel } from './tiny-transfer';

const [path, shard, of, perClass] = process.argv.slice(2);
await backends.use('cpu');
const stream = await flowerStream(Number(perClass));
const header = await writeFeatureShard(tinyModel(5), stream, path, { shard: Number(shard), of: Number(of) });
console.log(JSON.stringify(header));
