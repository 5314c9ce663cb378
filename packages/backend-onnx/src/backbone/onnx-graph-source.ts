import type { Embeds, ExtractorBackbone, ExtractorGraph } from '@graftjs/core';
import type { TokenInputs } from '../text/text-graph';

/** What an ONNX backbone tells the ONNX exporter about its own graph, so a head can be joined to it. */
export interface OnnxGraphSource extends ExtractorGraph {
  readonly format: 'onnx';
  bytes: Uint8Array;
  inputName: string;
  featureOutput: string;
  layout: 'nchw' | 'nhwc';
  /** A text encoder's token inputs (its graph is fed token ids, not an image batch). */
  tokens?: TokenInputs;
}

/** Whether an extractor's export source is one this adapter wrote. */
export function isOnnxGraphSource(s: ExtractorGraph | undefined): s is OnnxGraphSource {
  return s?.format === 'onnx' && (s as OnnxGraphSource).bytes instanceof Uint8Array;
}

/** An ONNX model as a frozen base: an extractor whose export source is its own ONNX graph. */
export interface OnnxBackbone extends ExtractorBackbone, Embeds {
  source: OnnxGraphSource;
}
