/**
 * TensorFlow's "same" padding as explicit ONNX pads [top, left, bottom, right]: the total padding
 * `max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0)` split with the extra pixel at the end
 * (what ONNX calls SAME_UPPER). Returns null when a spatial size is unknown.
 */
export function samePads(
  inHW: (number | null)[],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number] = [1, 1],
): number[] | null {
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = inHW[i];
    if (size === null || size === undefined) return null;
    const effective = (kernel[i] - 1) * dilations[i] + 1;
    const total = Math.max((Math.ceil(size / strides[i]) - 1) * strides[i] + effective - size, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [...begin, ...end];
}

/** Conv/Pool attributes for Keras padding "valid" or "same" on an NHWC input shape. */
export function paddingAttrs(
  padding: unknown,
  inShape: (number | null)[],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number] = [1, 1],
): Record<string, { ints: number[] } | { s: string }> {
  if (padding !== 'same') return { pads: { ints: [0, 0, 0, 0] } };
  const pads = samePads([inShape[1], inShape[2]], kernel, strides, dilations);
  return pads ? { pads: { ints: pads } } : { auto_pad: { s: 'SAME_UPPER' } };
}
