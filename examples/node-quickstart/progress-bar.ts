import cliProgress from 'cli-progress';
import type { Callbacks, ProgressEvent } from 'graftjs';

/**
 * A terminal progress bar drawn by cli-progress (3.12.0, the example's dependency): graft's progress events give
 * the fraction, epoch, pace and ETA; cli-progress draws them in place on a terminal and logs a line every few
 * seconds elsewhere (CI logs). Pass it in `callbacks`, so the bar is closed however the fit ends.
 */
export function progressBar(label: string): Callbacks {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | epoch {epoch}/{epochs} | {speed} samples/s | ETA {eta}s`,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.legacy,
  );
  let started = false;
  const payload = (e: ProgressEvent) => ({
    epoch: e.epoch + 1,
    epochs: e.epochs,
    speed: Math.round(e.samplesPerSecond),
    eta: e.etaSeconds.toFixed(1),
  });
  return {
    onProgress: (e) => {
      if (e.phase !== 'fit') return;
      if (!started) bar.start(1000, 0, payload(e));
      started = true;
      bar.update(Math.round(e.fraction * 1000), payload(e));
    },
    onTrainEnd: () => {
      if (started) bar.stop();
    },
  };
}
