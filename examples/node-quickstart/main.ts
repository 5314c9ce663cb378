import 'graft';
import { runMlp } from './mlp';

const accuracy = await runMlp();
if (accuracy < 0.93) {
  console.error(`accuracy ${accuracy} is below the 93% floor`);
  process.exitCode = 1;
}
