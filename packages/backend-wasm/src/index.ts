import './register-backend';
import './kernels/register';

export { ADDED_KERNELS, graftWasmKernels, REPLACED_KERNELS, useGraftWasmKernels } from './kernels/register';
export { configureWasm, wasmInfo } from './register-backend';
