import { describeAdapter } from './adapter-info';
import type { GpuLike } from './gpu-types';

/** Whether a browser (or any host with navigator.gpu) gives a WebGPU adapter: true with its description, or why not. */
export async function browserWebGPUAvailability(
  nav: { gpu?: GpuLike } | undefined,
): Promise<{ available: true; adapter: string } | { available: false; reason: string }> {
  const gpu = nav?.gpu;
  if (!gpu) {
    return {
      available: false,
      reason:
        'this browser has no WebGPU (navigator.gpu is missing: it needs a secure context and a WebGPU-enabled browser)',
    };
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    return {
      available: false,
      reason: 'navigator.gpu.requestAdapter() returned null (WebGPU disabled, or no suitable GPU)',
    };
  }
  return { available: true, adapter: describeAdapter(adapter) };
}
