// The one package a web app installs: everything in @graft/core, plus every backend registered.

export { configureWasm, wasmInfo } from '@graft/backend-wasm';
export * from '@graft/core';
