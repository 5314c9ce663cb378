import { registerErrorCodes } from '@graftjs/core/adapter';

declare module '@graftjs/core' {
  interface AdapterErrorCodes {
    /** A layer or activation with no ONNX equivalent in the exporter. */
    ONNX_UNSUPPORTED_LAYER: true;
    /** Bytes that are not an ONNX model this adapter can read. */
    ONNX_INVALID_FILE: true;
    /** A feature output name the ONNX graph does not have. */
    ONNX_UNKNOWN_OUTPUT: true;
    /** An input whose shape or layout the ONNX graph does not take. */
    ONNX_INPUT_MISMATCH: true;
  }
}

/** The failures of ONNX files and export, which core's own code list does not name (docs/errors.md has each). */
export const ONNX_ERROR_CODES = [
  'ONNX_UNSUPPORTED_LAYER',
  'ONNX_INVALID_FILE',
  'ONNX_UNKNOWN_OUTPUT',
  'ONNX_INPUT_MISMATCH',
] as const;

registerErrorCodes(ONNX_ERROR_CODES);
