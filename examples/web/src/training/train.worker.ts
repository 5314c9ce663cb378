// The training worker: graft's serveTraining answers the page's WorkerTrainer (fit, progress, abort, weights).
import { serveTraining } from 'graftjs';
import { configureRuntimes } from '../runtime/configure-runtimes';

configureRuntimes();
serveTraining();
