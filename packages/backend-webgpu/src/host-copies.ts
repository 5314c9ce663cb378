/** The parts of tfjs-backend-webgpu 4.22's WebGPUBackend this module touches (private in its typings). */
interface TensorEntry {
  values: ArrayLike<number> | null;
  dtype: string;
}
interface UploadingBackend {
  tensorMap: { get(dataId: object): TensorEntry | undefined };
  uploadToGPU(dataId: object): void;
}

/** int32 tensors up to this many elements keep their host values when uploaded (16 KiB at most each). */
export const HOST_COPY_MAX_ELEMENTS = 4096;

/**
 * tfjs-webgpu's readSync draws through OffscreenCanvas: absent in Node, slow in browsers, failing in headless Chromium
 * on SwiftShader. So small int32 tensors keep their host values after upload, and a graph's shape and index inputs
 * (an ExpandDims axis, a Reshape shape: tfjs-converter reads them with dataSync) are served from host memory. tfjs-webgpu drops host values
 * in uploadToGPU; tensors are immutable, so the copy never goes stale. Returns whether the backend was changed.
 */
export function keepSmallHostCopies(backend: unknown): boolean {
  const b = backend as Partial<UploadingBackend>;
  if (typeof b.uploadToGPU !== 'function' || typeof b.tensorMap?.get !== 'function') return false;
  const upload = b.uploadToGPU.bind(b);
  const tensors = b.tensorMap;
  b.uploadToGPU = (dataId: object) => {
    const entry = tensors.get(dataId);
    const values = entry?.values;
    upload(dataId);
    if (entry && values && entry.values == null && entry.dtype === 'int32' && values.length <= HOST_COPY_MAX_ELEMENTS)
      entry.values = values;
  };
  return true;
}
