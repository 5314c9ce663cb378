/** Prints a confusion matrix: rows are true classes, columns predicted ones. */
export function confusionMatrix(truth: number[], predicted: number[], classes: string[]): string {
  const k = classes.length;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  truth.forEach((t, i) => {
    m[t][predicted[i]]++;
  });
  const w = Math.max(4, ...m.flat().map((v) => String(v).length + 1));
  const head = `true\\pred${classes.map((c) => c.padStart(w)).join('')}`;
  const rows = m.map((row, i) => `${classes[i].padStart(9)}${row.map((v) => String(v).padStart(w)).join('')}`);
  return [head, ...rows].join('\n');
}
