import 'graft';
import { runMlp } from './mlp';
import { runTransferDigits } from './transfer-digits';

const accuracy = await runMlp();
if (accuracy < 0.93) {
  console.error(`MLP test accuracy ${accuracy} is below the 93% floor`);
  process.exitCode = 1;
}
console.log('');
const rows = await runTransferDigits();
const behind = rows.filter((r) => r.transferAccuracy <= r.scratchAccuracy);
if (behind.length) {
  console.error(`transfer did not beat scratch at ${behind.map((r) => r.labels).join(', ')} labels per class`);
  process.exitCode = 1;
}
