import './register-backend';
import './kernels/register';

export { configureWasm, wasmInfo } from './register-backend';
export { ADDED_KERNELS, graftWasmKernels, REPLACED_KERNELS, useGraftWasmKernels } from './kernels/register';
