import './register-backend';

export { configureWasm, wasmInfo } from './register-backend';
