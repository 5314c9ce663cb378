import { createRng } from 'graftjs';

export const DEMO_CLASSES = ['circle', 'square', 'triangle'] as const;
export type DemoShape = (typeof DEMO_CLASSES)[number];

const SIZE = 64;

/** Draws one shape in a random colour, size and place on a light, slightly noisy background. */
export function drawShape(shape: DemoShape, rand: () => number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SIZE;
  const g = canvas.getContext('2d')!;
  const bg = 200 + Math.floor(rand() * 55);
  g.fillStyle = `rgb(${bg},${bg - Math.floor(rand() * 20)},${bg})`;
  g.fillRect(0, 0, SIZE, SIZE);
  g.fillStyle = `hsl(${Math.floor(rand() * 360)}, 70%, ${30 + Math.floor(rand() * 25)}%)`;
  const r = SIZE * (0.2 + rand() * 0.15);
  const cx = r + rand() * (SIZE - 2 * r);
  const cy = r + rand() * (SIZE - 2 * r);
  g.beginPath();
  if (shape === 'circle') g.arc(cx, cy, r, 0, Math.PI * 2);
  else if (shape === 'square') g.rect(cx - r, cy - r, 2 * r, 2 * r);
  else {
    g.moveTo(cx, cy - r);
    g.lineTo(cx + r, cy + r);
    g.lineTo(cx - r, cy + r);
    g.closePath();
  }
  g.fill();
  return canvas;
}

/** The built-in demo set: `perClass` procedurally drawn images for each shape (no files, no network). */
export function demoSet(perClass = 24, seed = 7): { name: string; images: HTMLCanvasElement[] }[] {
  const rng = createRng(seed);
  const rand = () => rng.next();
  return DEMO_CLASSES.map((name) => ({
    name,
    images: Array.from({ length: perClass }, () => drawShape(name, rand)),
  }));
}
