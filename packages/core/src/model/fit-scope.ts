/** What one call made for itself (datasets, tensors): freed together when the call ends, however it ends. */
export class Scope {
  private readonly held: { dispose(): void }[] = [];

  own<T extends { dispose(): void }>(x: T): T {
    this.held.push(x);
    return x;
  }

  dispose(): void {
    for (const x of this.held.splice(0)) x.dispose();
  }
}
