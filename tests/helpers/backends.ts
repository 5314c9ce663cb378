import { backends } from '@graftjs/core';
import '@graftjs/backend-wasm';

/** Every tfjs backend that trains in this process; the model suites run once per entry. */
export const TRAINING_BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: string): Promise<void> {
  await backends.use(name);
}
