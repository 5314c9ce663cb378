/** Field numbers from onnx.proto (ONNX 1.12) for the messages graft reads and writes. */

export const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  docString: 6,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
} as const;
export const OPSET = { domain: 1, version: 2 } as const;
export const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const ATTR = { name: 1, f: 2, i: 3, s: 4, g: 6, floats: 7, ints: 8, type: 20 } as const;
export const ATTR_TYPE = { float: 1, int: 2, string: 3, graph: 5, floats: 6, ints: 7 } as const;
export const VALUE_INFO = { name: 1, type: 2 } as const;
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const SHAPE = { dim: 1 } as const;
export const DIM = { value: 1, param: 2 } as const;
export const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
export const STRING_ENTRY = { key: 1, value: 2 } as const;

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;

/** What graft writes: IR 7 / opset 13 (readable by onnxruntime >= 1.8 and onnx >= 1.8). */
export const IR_VERSION = 7;
export const OPSET_VERSION = 13;
