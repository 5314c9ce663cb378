// A Vite app with no vite.config: the umbrella package, as an app developer installs it. It never imports
// graftjs/onnx, so its build must hold no onnxruntime file.
import * as graft from 'graftjs';
import { trainAndReport } from './train.js';

trainAndReport(graft);
