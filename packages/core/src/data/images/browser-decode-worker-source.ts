/**
 * The source of a browser decode worker, as text: the pool starts it from a Blob URL, so no bundler (Vite,
 * webpack, esbuild) has to know about a worker entry, and an app needs no extra file. Plain JavaScript, no
 * imports; it does what `decodeBitmap` (bitmap-decode.ts) does, on one request `{ id, bytes: ArrayBuffer[] }` at
 * a time, and answers `{ id, images: [{ data, width, height }] }` (RGB buffers transferred) or, at the first
 * image that fails, `{ id, error: { index, message } }`.
 */
export const BROWSER_DECODE_WORKER_SOURCE = `
async function decode(buffer) {
  const bitmap = await createImageBitmap(new Blob([buffer]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const width = bitmap.width;
  const height = bitmap.height;
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p];
    rgb[q + 1] = rgba[p + 1];
    rgb[q + 2] = rgba[p + 2];
  }
  return { data: rgb.buffer, width, height };
}
let queue = Promise.resolve();
self.onmessage = (event) => {
  const { id, bytes } = event.data;
  queue = queue.then(async () => {
    const images = [];
    for (let i = 0; i < bytes.length; i++) {
      try {
        images.push(await decode(bytes[i]));
      } catch (e) {
        self.postMessage({ id, error: { index: i, message: String((e && e.message) || e) } });
        return;
      }
    }
    self.postMessage({ id, images }, images.map((m) => m.data));
  });
};
`;
