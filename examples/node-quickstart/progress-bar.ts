import type { ProgressEvent } from 'graftjs';

/** A one-line terminal progress bar with ETA, redrawn in place. */
export function progressBar(label: string): (e: ProgressEvent) => void {
  let last = 0;
  return (e) => {
    const now = Date.now();
    const done = e.batch === e.batches - 1 && e.epoch === e.epochs - 1;
    if (now - last < 100 && !done) return;
    last = now;
    const width = 30;
    const filled = Math.round(e.fraction * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const line = `${label} [${bar}] epoch ${e.epoch + 1}/${e.epochs}  ${Math.round(e.samplesPerSecond)} samples/s  ETA ${e.etaSeconds.toFixed(1)}s`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}`);
    else if (done || e.batch === e.batches - 1) console.log(line);
    if (done && process.stdout.isTTY) process.stdout.write('\n');
  };
}
