/**
 * The few WebGPU shapes this package touches. TypeScript's DOM library has no WebGPU types and
 * depending on @webgpu/types for five members is not worth it.
 */
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export interface GpuDeviceLike {
  destroy(): void;
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: Record<string, unknown>): Promise<GpuDeviceLike>;
}

export interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapterLike | null>;
}

/** What the `webgpu` npm package (Dawn for Node) exports. */
export interface NodeWebGPUModule {
  create(flags: string[]): GpuLike;
  /** GPUBufferUsage, GPUMapMode, ... : browsers have them as globals, tfjs expects them there. */
  globals?: Record<string, unknown>;
}
