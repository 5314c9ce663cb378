/**
 * A stream's decode worker (Node worker thread): reads and decodes the files of each request (or decodes the bytes
 * it was sent) to 8-bit RGB and sends the pixels back transferred. The first bad file answers the request with its coded error, which names it.
 */
import { parentPort } from 'node:worker_threads';
import { GraftError } from '../../errors/graft-error';
import { transferable } from './bytes-decoder';
import { decodeImage } from './decode-image';
import type { DecodedTransfer, DecodeReply, DecodeRequest } from './decode-protocol';
import { readImageFile } from './read-image-file';

async function answer(req: DecodeRequest): Promise<{ reply: DecodeReply; transfer: ArrayBuffer[] }> {
  const images: DecodedTransfer[] = [];
  let file = '';
  let index = 0;
  try {
    for (; index < req.files.length; index++) {
      file = req.files[index];
      const bounds = { maxPixels: req.maxPixels };
      const bytes = req.bytes?.[index];
      const img = bytes ? decodeImage(new Uint8Array(bytes), bounds) : await readImageFile(file, bounds);
      images.push({ data: transferable(img.data), width: img.width, height: img.height });
    }
    return { reply: { id: req.id, images }, transfer: images.map((m) => m.data) };
  } catch (e) {
    const err =
      e instanceof GraftError
        ? e
        : new GraftError('INVALID_IMAGE', `could not decode image file ${JSON.stringify(file)}: ${String(e)}`, {
            path: file,
          });
    return {
      reply: { id: req.id, error: { code: err.code, message: err.message, details: err.details, index } },
      transfer: [],
    };
  }
}

// Requests are answered one at a time, in order: the pool waits for each part it sent.
let queue = Promise.resolve();
parentPort?.on('message', (req: DecodeRequest) => {
  queue = queue.then(async () => {
    const { reply, transfer } = await answer(req);
    parentPort?.postMessage(reply, transfer);
  });
});
