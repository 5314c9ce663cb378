import type { DecodedModel, DecodedValueInfo } from '../onnx/decode';
import type { NodeDef, ValueInfoDef } from '../onnx/encode';
import { allNames } from '../onnx/prune';
import { DATA_TYPE } from '../onnx/schema';

/** A new NHWC graph input and the Transpose that feeds the file's NCHW input from it. */
export interface NhwcFeed {
  name: string;
  nodes: NodeDef[];
  input: ValueInfoDef;
}

/**
 * graft's batches are NHWC; an NCHW graph gets them through a Transpose inside the session, where ONNX Runtime
 * does it with its own (threaded) kernel, instead of a copy in JavaScript before every run.
 */
export function nhwcFeed(model: DecodedModel, input: DecodedValueInfo, inputShape: number[]): NhwcFeed {
  const taken = allNames(model);
  let name = 'graft_input_nhwc';
  for (let i = 1; taken.has(name); i++) name = `graft_input_nhwc_${i}`;
  const batch = input.dims?.[0] ?? 'N';
  return {
    name,
    nodes: [
      { opType: 'Transpose', inputs: [name], outputs: [input.name], name, attrs: { perm: { ints: [0, 3, 1, 2] } } },
    ],
    input: { name, elemType: DATA_TYPE.float, dims: [batch === '' ? 'N' : batch, ...inputShape] },
  };
}
