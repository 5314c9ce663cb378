/**
 * An async function whose module loads on its first call: the bundle an app downloads up front holds this small
 * wrapper, the function's code comes as a lazy chunk. The type (overloads included) is the loaded function's.
 */
export function lazy<F extends (...args: never[]) => Promise<unknown>>(load: () => Promise<F>): F {
  return (async (...args: Parameters<F>) => (await load())(...args)) as F;
}
