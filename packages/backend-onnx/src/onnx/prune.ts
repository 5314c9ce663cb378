import type { DecodedModel } from './decode';

/**
 * Which nodes of the file are still needed to compute `outputs` (given that `provided` tensors now
 * come from elsewhere), and which initializers only dead nodes used.
 */
export function liveNodes(model: DecodedModel, outputs: string[]): { keep: boolean[]; deadInitializers: Set<string> } {
  const producer = new Map<string, number>();
  model.nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
  });
  const keep = model.nodes.map(() => false);
  const needed = [...outputs];
  const usedNames = new Set<string>();
  while (needed.length) {
    const name = needed.pop() as string;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    const i = producer.get(name);
    if (i === undefined || keep[i]) continue;
    keep[i] = true;
    needed.push(...model.nodes[i].inputs.filter((x) => x !== ''));
  }
  const deadInitializers = new Set([...model.initializers].filter((n) => !usedNames.has(n)));
  return { keep, deadInitializers };
}

/** Every tensor name the file uses, so names added next to it never clash. */
export function allNames(model: DecodedModel): Set<string> {
  const names = new Set<string>(model.initializers);
  for (const n of model.nodes) for (const x of [...n.inputs, ...n.outputs]) names.add(x);
  for (const v of [...model.inputs, ...model.outputs]) names.add(v.name);
  return names;
}
