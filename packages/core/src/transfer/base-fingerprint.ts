import type * as tfl from '@tensorflow/tfjs-layers';
import { sha256 } from '../io/checksum';
import type { Backbone, Preprocessing } from './backbone';

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What a base's features depend on, by content, so it means the same in every process: the SHA-256 of the
 * preprocessing, the feature layer's output shape and every stem weight in order (shape, dtype, bytes; not its
 * name, which tfjs numbers per process). An extractor base
 * (a GraphModel, a model an adapter runs, a text model) exposes no weights: its name, feature shape and preprocessing stand in.
 */
export async function baseFingerprint(
  backbone: Backbone,
  stem: () => tfl.LayersModel,
  pre: Preprocessing | undefined,
): Promise<string> {
  const described: unknown[] = [backbone.kind, pre ?? null];
  const blocks: Uint8Array[] = [];
  if (backbone.kind === 'extractor') {
    described.push(backbone.name, backbone.featureShape);
  } else {
    const net = stem();
    described.push(net.outputs[0].shape.slice(1));
    for (const w of net.weights) {
      described.push([w.shape, w.dtype]);
      const values = await w.read().data();
      blocks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
  }
  const head = new TextEncoder().encode(JSON.stringify(described));
  const all = new Uint8Array(head.byteLength + blocks.reduce((a, b) => a + b.byteLength, 0));
  all.set(head, 0);
  let at = head.byteLength;
  for (const b of blocks) {
    all.set(b, at);
    at += b.byteLength;
  }
  return hex(await sha256(all));
}
