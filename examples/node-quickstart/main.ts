import 'graftjs';
import { runFlowers } from './flowers';
import { runMlp } from './mlp';
import { runTextSpam } from './text-spam';
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
console.log('');
const flowers = await runFlowers();
if (flowers !== null && flowers < 0.84) {
  console.error(`the no-options flowers program reached ${flowers}, below the 84% floor`);
  process.exitCode = 1;
}
console.log('');
const text = await runTextSpam();
for (const k of [10, 50]) {
  const tl = text?.find((r) => r.perClass === k && r.method === 'transfer');
  const bow = text?.find((r) => r.perClass === k && r.method === 'bag of words');
  if (tl && bow)
    console.log(
      `${k} labels per class: ${tl.spamF1 > bow.spamF1 ? 'transfer ahead' : 'bag of words ahead or equal'} on spam F1`,
    );
}
