import { GraftError, type Model, sequential, TransferModel, transfer } from '@graftjs/core';
import { classifier } from '@graftjs/heads';
import { loadBackbone } from '@graftjs/zoo';
import { checkSpec } from './check-spec';
import type { ModelSpec } from './protocol';

/** Builds (inside the worker) the model a spec describes; 'continue' reuses the one trained last. */
export async function buildModel(spec: ModelSpec, last: Model | null): Promise<Model> {
  checkSpec(spec);
  if (spec.kind === 'sequential') {
    const model = sequential({ inputShape: spec.inputShape, seed: spec.seed });
    for (const l of spec.layers) {
      const method = (model as unknown as Record<string, (...a: unknown[]) => unknown>)[l.layer];
      method.apply(model, l.args ?? []);
    }
    return model;
  }
  if (spec.kind === 'transfer') {
    const from =
      typeof spec.from === 'string' || spec.from === undefined
        ? spec.from
        : new Map(Object.entries(spec.from).map(([k, v]) => [k, new Uint8Array(v)]));
    const base = await loadBackbone(spec.backbone, from === undefined ? {} : { from, cache: false });
    const head =
      typeof spec.head === 'number'
        ? classifier(spec.head)
        : classifier(spec.head.classes, { hidden: spec.head.hidden, dropout: spec.head.dropout });
    return transfer(base, { seed: spec.seed }).freeze().addHead(head);
  }
  if (!last) {
    throw new GraftError('NOT_BUILT', 'a "continue" spec needs a model trained earlier in this worker; none was');
  }
  if (spec.unfreeze !== undefined) {
    if (!(last instanceof TransferModel)) {
      throw new GraftError('INVALID_OPTION', 'unfreeze applies to transfer models; the last model is not one');
    }
    last.unfreeze(spec.unfreeze);
  }
  return last;
}
