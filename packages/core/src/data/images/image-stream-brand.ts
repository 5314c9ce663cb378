// The ImageStreams made so far, so that fit's argument check tells one from numeric input without loading the
// stream's module (which an app that never streams does not download). Every ImageStream registers here.
const streams = new WeakSet<object>();

export function markImageStream(stream: object): void {
  streams.add(stream);
}

/** What `x instanceof ImageStream` says, for a caller that must not import the class. */
export function isImageStream(x: unknown): boolean {
  return typeof x === 'object' && x !== null && streams.has(x);
}
