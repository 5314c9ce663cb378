import { thumbnail } from '../data/pixels';

/** The camera, where the browser has one: a live <video> and a capture() that grabs one frame. */
export class Webcam {
  readonly video: HTMLVideoElement;
  private stream: MediaStream | null = null;

  constructor() {
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.className = 'webcam';
    this.video.hidden = true;
  }

  /** True when a camera is listed (labels need permission; kinds do not). */
  static async available(): Promise<boolean> {
    const devices = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []);
    return (devices ?? []).some((d) => d.kind === 'videoinput');
  }

  get running(): boolean {
    return this.stream !== null;
  }

  async start(): Promise<void> {
    this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play();
  }

  stop(): void {
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.video.hidden = true;
  }

  capture(): HTMLCanvasElement {
    return thumbnail(this.video, this.video.videoWidth, this.video.videoHeight);
  }
}
