import type { Explanation } from 'graftjs/core';
import { el } from './dom';

/**
 * Draws a Grad-CAM heatmap over the picture in `preview`: a canvas at the heatmap's size, stretched over the
 * picture as the picture was stretched to the model's input, jet colours fading to transparent where the model
 * found nothing for the class. A checkbox beside it hides or shows it.
 */
export function showHeatmap(preview: HTMLElement, e: Explanation): void {
  for (const old of preview.querySelectorAll('.heatmap-overlay, .heatmap-toggle')) old.remove();
  const canvas = el('canvas', {
    id: 'heatmap',
    class: 'heatmap-overlay',
    'data-class': e.label ?? String(e.classIndex),
    title: `Grad-CAM for "${e.label ?? e.classIndex}" at layer ${e.layer} (${e.grid.join('x')} map)`,
  });
  canvas.width = e.width;
  canvas.height = e.height;
  canvas.getContext('2d')?.putImageData(new ImageData(e.rgba({ opacity: 0.6 }), e.width, e.height), 0, 0);
  const picture = preview.querySelector('canvas:not(.heatmap-overlay)') as HTMLCanvasElement | null;
  // over the picture, at its displayed size; smooth, unlike the pixelated picture preview
  Object.assign(preview.style, { position: 'relative' });
  Object.assign(canvas.style, {
    position: 'absolute',
    left: `${picture?.offsetLeft ?? 0}px`,
    top: `${picture?.offsetTop ?? 0}px`,
    width: `${picture?.clientWidth ?? 96}px`,
    height: `${picture?.clientHeight ?? 96}px`,
    imageRendering: 'auto',
    pointerEvents: 'none',
  });
  const box = el('input', { type: 'checkbox', checked: true, 'aria-label': 'show the heatmap' });
  box.addEventListener('change', () => {
    canvas.style.visibility = box.checked ? 'visible' : 'hidden';
  });
  const toggle = el('label', { class: 'heatmap-toggle' }, box, ' why this label? (Grad-CAM)');
  Object.assign(toggle.style, { display: 'block', fontSize: '12px' });
  preview.append(canvas, toggle);
}
