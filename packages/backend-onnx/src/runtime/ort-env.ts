import { GraftError } from '@graftjs/core';
import type { InferenceSession } from 'onnxruntime-web';
import { loadOrt } from './load-ort';
import { applyOnnxSettings, executionProviders } from './onnx-settings';

/** One InferenceSession (onnxruntime loaded on first use); load failures become ONNX_INVALID_FILE with onnxruntime's reason. */
export async function createSession(bytes: Uint8Array, what: string): Promise<InferenceSession> {
  const ort = await loadOrt();
  applyOnnxSettings(ort);
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: executionProviders(),
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new GraftError('ONNX_INVALID_FILE', `onnxruntime-web could not load ${what}: ${(e as Error).message}`);
  }
}
