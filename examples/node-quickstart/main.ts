import 'graftjs';
import { runMlp } from './mlp';
import { runTransferDigits } from './transfer-digits';

const accuracy = await runMlp();
if (accuracy < 0.93) {
  console.error(`MLP test accuracy ${accuracy} is below the 93% floor`);
  process.exitCode = 1;
}
console.log('');
const rows = await runTransferDigits();
for (const r of rows) {
  const verdict = r.transferAccuracy > r.scratchAccuracy ? 'transfer ahead' : 'scratch ahead or equal';
  console.log(
    `${r.labels} labels per class: ${verdict}; transfer trained in ${(r.scratchSeconds / r.transferSeconds).toFixed(1)}x less time`,
  );
}
