import { Callback } from './callback';
import type { Logs } from './callbacks';

export type HistoryRecord = { loss: number[] } & Record<string, number[]>;

/**
 * Keras' History: every epoch's logs, for this fit (`history`, `epoch`) and appended to what came before it
 * (`total()`: the model's history before the fit, or a resumed checkpoint's). The one place a history is assembled.
 */
export class History extends Callback {
  /** This fit's epochs (0-based, as Keras). */
  readonly epoch: number[] = [];
  /** This fit's values per name. */
  readonly history: HistoryRecord = { loss: [] };
  private readonly before: Record<string, number[]>;

  constructor(before: Record<string, number[]> = {}) {
    super();
    this.before = copy(before);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /** The earlier history with this fit's epochs appended, as new arrays. */
  total(): HistoryRecord {
    const out: HistoryRecord = { loss: [], ...copy(this.before) };
    for (const [k, v] of Object.entries(this.history)) (out[k] ??= []).push(...v);
    return out;
  }
}

function copy(h: Record<string, number[]>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [...v]]));
}
