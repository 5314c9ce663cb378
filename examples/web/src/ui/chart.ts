/** A loss/accuracy line chart drawn on a canvas (no chart library): loss on a left scale, accuracy 0..1 on the right. */
export class TrainingChart {
  private readonly series: Record<string, number[]> = {};
  private readonly g: CanvasRenderingContext2D;
  static readonly COLORS: Record<string, string> = {
    loss: '#d9480f',
    valLoss: '#f08c00',
    accuracy: '#1c7ed6',
    valAccuracy: '#15aabf',
  };

  constructor(readonly canvas: HTMLCanvasElement) {
    this.g = canvas.getContext('2d')!;
    this.draw();
  }

  clear(): void {
    for (const k of Object.keys(this.series)) delete this.series[k];
    this.draw();
  }

  /** Adds one epoch's logs (loss, accuracy, ...) and redraws. */
  add(logs: Record<string, number>): void {
    for (const [k, v] of Object.entries(logs)) if (k in TrainingChart.COLORS) (this.series[k] ??= []).push(v);
    this.draw();
  }

  /** Number of points drawn so far (the longest series). */
  get points(): number {
    return Math.max(0, ...Object.values(this.series).map((s) => s.length));
  }

  private draw(): void {
    const { g, canvas } = this;
    const w = canvas.width;
    const h = canvas.height;
    const pad = { l: 40, r: 40, t: 12, b: 24 };
    g.clearRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    g.strokeStyle = '#ccc';
    g.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    const n = this.points;
    const losses = [...(this.series.loss ?? []), ...(this.series.valLoss ?? [])];
    const maxLoss = Math.max(1e-6, ...losses);
    g.fillStyle = '#555';
    g.font = '11px system-ui, sans-serif';
    g.fillText(maxLoss.toFixed(2), 4, pad.t + 8);
    g.fillText('0', 4, h - pad.b);
    g.fillText('1.0', w - pad.r + 6, pad.t + 8);
    g.fillText(`epochs: ${n}`, pad.l, h - 6);
    if (n === 0) {
      g.fillText('loss and accuracy appear here while training', pad.l + 10, h / 2);
      return;
    }
    const x = (i: number) => pad.l + (n === 1 ? 0.5 : i / (n - 1)) * (w - pad.l - pad.r);
    for (const [name, values] of Object.entries(this.series)) {
      const isLoss = name.toLowerCase().includes('loss');
      const y = (v: number) => pad.t + (1 - (isLoss ? v / maxLoss : v)) * (h - pad.t - pad.b);
      g.strokeStyle = TrainingChart.COLORS[name];
      g.fillStyle = TrainingChart.COLORS[name];
      g.lineWidth = 2;
      g.beginPath();
      for (const [i, v] of values.entries()) {
        if (i === 0) g.moveTo(x(i), y(v));
        else g.lineTo(x(i), y(v));
      }
      g.stroke();
      for (const [i, v] of values.entries()) g.fillRect(x(i) - 2, y(v) - 2, 4, 4);
    }
    let lx = pad.l + 8;
    for (const name of Object.keys(this.series)) {
      g.fillStyle = TrainingChart.COLORS[name];
      g.fillText(name, lx, pad.t + 12);
      lx += g.measureText(name).width + 14;
    }
  }
}
