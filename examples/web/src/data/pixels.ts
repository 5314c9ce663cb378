let scratch: HTMLCanvasElement | null = null;

/** RGB bytes of a picture drawn at size x size (the model's input size), row-major, alpha dropped. */
export function rgbPixels(picture: CanvasImageSource, size: number): Uint8Array {
  scratch ??= document.createElement('canvas');
  scratch.width = scratch.height = size;
  const g = scratch.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(picture, 0, 0, size, size);
  const rgba = g.getImageData(0, 0, size, size).data;
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return rgb;
}

/** A picture copied onto a canvas of at most `max` pixels a side (the class store keeps these small copies). */
export function thumbnail(picture: CanvasImageSource, width: number, height: number, max = 224): HTMLCanvasElement {
  const k = Math.min(1, max / Math.max(width, height));
  const c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(width * k));
  c.height = Math.max(1, Math.round(height * k));
  c.getContext('2d')!.drawImage(picture, 0, 0, c.width, c.height);
  return c;
}

/** Decodes an image file into a small canvas. */
export async function fileToCanvas(file: Blob): Promise<HTMLCanvasElement> {
  const bitmap = await createImageBitmap(file);
  try {
    return thumbnail(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}
