import type { GpuAdapterLike } from './gpu-types';

/** "vendor / architecture / description" of an adapter, for `backends.list()` and logs. */
export function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.description || info.device].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return parts.length > 0 ? parts.join(' / ') : 'adapter without vendor information';
}
