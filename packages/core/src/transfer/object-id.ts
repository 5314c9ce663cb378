const IDS = new WeakMap<object, number>();
let next = 1;

/** A number naming `o` for as long as it lives; never reused, so a fingerprint made of them cannot repeat. */
export function objectId(o: object): number {
  let id = IDS.get(o);
  if (id === undefined) {
    id = next++;
    IDS.set(o, id);
  }
  return id;
}
