import type { ExportSource } from '@graftjs/core';

/**
 * What a consumer of the file needs to feed it correctly, as ONNX metadata_props. The graph itself
 * starts after preprocessing (it takes the preprocessed NHWC float batch, like graft's runtimes).
 */
export function exportMetadata(source: ExportSource): Record<string, string> {
  if (source.extractor?.input === 'text') {
    // a text encoder's file takes token ids: the encoder's tokenizer (tokenizeBatch) makes them outside the file
    const meta: Record<string, string> = { 'graft.input': 'token_ids', 'graft.tokenization_included': 'false' };
    if (source.classNames) meta['graft.class_names'] = JSON.stringify(source.classNames);
    return meta;
  }
  const meta: Record<string, string> = { 'graft.input_layout': 'NHWC', 'graft.preprocessing_included': 'false' };
  const pre = source.preprocessing ?? source.extractor?.preprocessing;
  if (pre) meta['graft.preprocessing'] = JSON.stringify(pre);
  if (source.classNames) meta['graft.class_names'] = JSON.stringify(source.classNames);
  return meta;
}
