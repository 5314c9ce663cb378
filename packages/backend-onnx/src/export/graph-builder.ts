import type { Attr, Dim, NodeDef, TensorDef, ValueInfoDef } from '../onnx/encode';

/** Collects the nodes, weights and I/O of the graph being written, and hands out unique tensor names. */
export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly initializers: TensorDef[] = [];
  readonly inputs: ValueInfoDef[] = [];
  readonly outputs: ValueInfoDef[] = [];
  private readonly used: Set<string>;

  /**
   * @param prefix put before every generated name (joining a head onto a backbone uses "head/")
   * @param reserved names already taken (the backbone's), never handed out
   */
  constructor(
    private readonly prefix = '',
    reserved: Iterable<string> = [],
  ) {
    this.used = new Set(reserved);
  }

  /** A fresh name from a readable base (the Keras layer name). */
  name(base: string): string {
    const clean = `${this.prefix}${base.replace(/[^\w./-]/g, '_')}`;
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> | undefined, base: string): string {
    const out = this.name(base);
    this.nodes.push({ opType, inputs, outputs: [out], name: out, attrs });
    return out;
  }

  /** Adds a node writing to a given (already reserved) output name. */
  opTo(opType: string, inputs: string[], output: string, attrs?: Record<string, Attr>): void {
    this.used.add(output);
    this.nodes.push({ opType, inputs, outputs: [output], name: output, attrs });
  }

  weight(base: string, data: Float32Array, dims: number[]): string {
    const name = this.name(base);
    this.initializers.push({ name, dims, data });
    return name;
  }

  int64s(base: string, values: number[]): string {
    const name = this.name(base);
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  scalar(base: string, value: number): string {
    const name = this.name(base);
    this.initializers.push({ name, dims: [], data: new Float32Array([value]) });
    return name;
  }

  input(base: string, dims: Dim[]): string {
    const name = this.name(base);
    this.inputs.push({ name, dims });
    return name;
  }
}
