import { type Explanation, explain } from 'graftjs/core';
import { encode, inputSize } from './model-kinds';
import type { Session } from './session';

/**
 * Grad-CAM of the page's model on one picture, for the class it predicts: the same input `Session.predict` gives the
 * model, so the heatmap covers the picture as the model saw it (square, at its input size).
 */
export async function explainPicture(session: Session, picture: CanvasImageSource): Promise<Explanation | null> {
  if (!session.model) return null;
  const s = inputSize(session.kind);
  return explain(session.model, { data: encode(session.kind, picture), shape: [s, s, 3] });
}
