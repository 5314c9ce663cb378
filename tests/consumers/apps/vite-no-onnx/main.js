// A Vite app that never uses onnx: it installs and imports only @graftjs/core and @graftjs/backend-wasm,
// so no onnxruntime file may appear in its build output.
import * as graft from '@graftjs/core';
import '@graftjs/backend-wasm';
import { trainAndReport } from './train.js';

trainAndReport(graft);
