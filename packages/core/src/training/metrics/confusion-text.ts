/** What the table shows of a confusion matrix. */
interface ConfusionTable {
  classNames: string[];
  matrix: number[][];
  total: number;
  accuracy: number;
  perClass: { precision: number; recall: number; f1: number; support: number }[];
}

/** A fixed-width table: rows true classes, columns predicted, then each class's precision, recall, F1, support. */
export function renderConfusion(m: ConfusionTable): string {
  const names = m.classNames;
  const first = Math.max(9, ...names.map((n) => n.length));
  const cell = Math.max(5, ...names.map((n) => n.length + 1), ...m.matrix.flat().map((v) => String(v).length + 1));
  const stats = ['precision', 'recall', 'f1', 'support'];
  const head = `${'true\\pred'.padEnd(first)}${names.map((n) => n.padStart(cell)).join('')}  |${stats.map((s) => s.padStart(10)).join('')}`;
  const rows = m.matrix.map((row, i) => {
    const c = m.perClass[i];
    const nums = [c.precision, c.recall, c.f1].map((v) => v.toFixed(3).padStart(10)).join('');
    return `${names[i].padEnd(first)}${row.map((v) => String(v).padStart(cell)).join('')}  |${nums}${String(c.support).padStart(10)}`;
  });
  const foot = `accuracy ${m.accuracy.toFixed(4)} over ${m.total} samples`;
  return [head, ...rows, foot].join('\n');
}
