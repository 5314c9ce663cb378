// A Vite app with no vite.config: the umbrella package, as an app developer installs it.
import * as graft from 'graftjs';
import { trainAndReport } from './train.js';

trainAndReport(graft);
