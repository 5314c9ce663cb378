import { GraftError } from '@graftjs/core';
import type { InferenceSession } from 'onnxruntime-web';
import { type ChosenOrt, loadOrt, type OrtKind, type OrtModule } from './load-ort';
import { applyWebSettings, executionProviders, nativeSessionOptions } from './onnx-settings';

/** A session with the runtime that made it: its tensors must come from the same module. */
export interface OrtSession {
  session: InferenceSession;
  ort: OrtModule;
  kind: OrtKind;
}

function sessionOptions(chosen: ChosenOrt): InferenceSession.SessionOptions {
  if (chosen.kind === 'native') return nativeSessionOptions(chosen.cores ?? 1);
  applyWebSettings(chosen.ort);
  return { executionProviders: executionProviders(), graphOptimizationLevel: 'all' };
}

/** One InferenceSession (onnxruntime loaded on first use); load failures become ONNX_INVALID_FILE with onnxruntime's reason. */
export async function createSession(bytes: Uint8Array, what: string): Promise<OrtSession> {
  const chosen = await loadOrt();
  const options = sessionOptions(chosen);
  try {
    const session = await chosen.ort.InferenceSession.create(bytes, options);
    return { session, ort: chosen.ort, kind: chosen.kind };
  } catch (e) {
    throw new GraftError(
      'ONNX_INVALID_FILE',
      `onnxruntime-${chosen.kind === 'native' ? 'node' : 'web'} could not load ${what}: ${(e as Error).message}`,
    );
  }
}
