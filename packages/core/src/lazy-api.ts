import { lazy } from './lazy';

// The public async functions an app calls now and then (loading data, checkpoints, saved models, embeddings):
// their code loads with the first call. Each keeps its name, types and errors (they were async already).

export const fromDirectory = lazy(() => import('./data/image-dataset').then((m) => m.fromDirectory));
export const fromImages = lazy(() => import('./data/image-dataset').then((m) => m.fromImages));
export const fromTextFile = lazy(() => import('./data/text-dataset').then((m) => m.fromTextFile));
export const imagesToTensor = lazy(() => import('./data/images/images-to-tensor').then((m) => m.imagesToTensor));
export const readImageFile = lazy(() => import('./data/images/read-image-file').then((m) => m.readImageFile));
export const readImageFolder = lazy(() => import('./data/images/read-image-folder').then((m) => m.readImageFolder));
export const toImageTensor = lazy(() => import('./data/images/to-image-tensor').then((m) => m.toImageTensor));
export const readCheckpoint = lazy(() => import('./io/checkpoint').then((m) => m.readCheckpoint));
export const deleteCheckpoint = lazy(() => import('./io/checkpoint').then((m) => m.deleteCheckpoint));
export const loadModel = lazy(() => import('./io/save-load').then((m) => m.loadModel));
export const embed = lazy(() => import('./transfer/embed').then((m) => m.embed));
export const explain = lazy(() => import('./explain/explain').then((m) => m.explain));
export const fromFeatureShards = lazy(() =>
  import('./transfer/shards/feature-shards').then((m) => m.fromFeatureShards),
);
export const writeFeatureShard = lazy(() => import('./transfer/shards/write-shard').then((m) => m.writeFeatureShard));
