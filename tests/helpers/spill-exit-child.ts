/**
 * A process that spills features and exits without disposing its store:
 * `node --conditions=graft-source --import tsx spill-exit-child.ts <cacheDir>`. Prints the spill folder.
 */
import { env } from '@graftjs/core';
import { FeatureStore } from '../../packages/core/src/transfer/store/feature-store';

env.cacheDir = process.argv[2];
const store = new FeatureStore({ base: 'b', listing: 'l' }, 0);
await store.append(new Float32Array(8), 2, [4]);
console.log(store.stats().location);
