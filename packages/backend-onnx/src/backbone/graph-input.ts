import { GraftError, type Preprocessing } from '@graftjs/core';
import type { DecodedModel, DecodedValueInfo } from '../onnx/decode';
import { DATA_TYPE } from '../onnx/schema';
import { guessLayout, sampleShape } from './input-shape';

export interface GraphInput {
  input: DecodedValueInfo;
  /** A rank-4 (image) input. */
  image: boolean;
  layout: 'nchw' | 'nhwc';
  /** graft's NHWC sample shape for it. */
  inputShape: number[];
}

/** The one float32 graph input an ONNX backbone is fed, with its layout and sample shape. */
export function graphInput(
  model: DecodedModel,
  options: { inputName?: string; layout?: 'nchw' | 'nhwc'; preprocessing?: Preprocessing },
): GraphInput {
  const names = model.inputs.map((i) => `"${i.name}"`).join(', ');
  if (model.inputs.length !== 1) {
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `expected an ONNX graph with one input, this one has ${model.inputs.length}: ${names}`,
    );
  }
  const input = model.inputs[0];
  if (options.inputName !== undefined && options.inputName !== input.name) {
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `inputName ${JSON.stringify(options.inputName)} is not a graph input; the graph has ${names}`,
    );
  }
  if (input.elemType !== DATA_TYPE.float) {
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `graph input "${input.name}" has ONNX element type ${input.elemType}, expected float32 (1)`,
    );
  }
  const image = input.dims?.length === 4;
  if (image && !options.preprocessing) {
    throw new GraftError(
      'INVALID_OPTION',
      `onnxBackbone needs options.preprocessing (size, range, mean/std) for image input "${input.name}"`,
    );
  }
  const layout = options.layout ?? (image ? guessLayout(input.dims as (number | string)[]) : 'nhwc');
  return { input, image, layout, inputShape: sampleShape(input, layout, options.preprocessing) };
}
