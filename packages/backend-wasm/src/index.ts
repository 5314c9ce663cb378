import './register-backend';
import './kernels/register';

export { ADDED_KERNELS, graftWasmKernels, REPLACED_KERNELS, useGraftWasmKernels } from './kernels/register';
export { wasmInfo } from './register-backend';
export type { WasmSettings } from './settings';
export { configureWasm } from './settings';
