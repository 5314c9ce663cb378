// A webpack 5 app with no webpack.config.js (entry src/index.js, output dist/main.js): the umbrella package.
import * as graft from 'graftjs';
import { trainAndReport } from './train.js';

trainAndReport(graft);
