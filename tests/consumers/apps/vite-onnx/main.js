// A Vite app with no vite.config that opts in to ONNX: `graftjs/onnx` registers the onnx backend, and the page
// also predicts on ONNX Runtime (onnxruntime-web's wasm, emitted by Vite with no configuration).
import * as graft from 'graftjs';
import 'graftjs/onnx';
import { trainAndReport } from './train.js';

trainAndReport(graft, { onnx: true });
