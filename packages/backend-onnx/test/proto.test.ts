import { describe, expect, it } from 'vitest';
import { encodeModel } from '../src/onnx/encode';
import { fieldInt, fieldInts, fieldString, readFields } from '../src/proto/reader';
import { ProtoWriter } from '../src/proto/writer';
import { hasPythonOnnx, pythonCheck } from './helpers';

describe('protobuf wire format', () => {
  it('writes and reads varints (incl. negative int64), floats, strings and nested messages', () => {
    const inner = new ProtoWriter().string(1, 'héllo').int(2, -1);
    const w = new ProtoWriter()
      .int(1, 7)
      .int(2, 300)
      .int(3, 2 ** 40)
      .int(4, -5)
      .float(5, 1.5)
      .message(6, inner)
      .packedInts(7, [1, -2, 300]);
    const f = readFields(w.finish());
    expect(f.map((x) => x.field)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(fieldInt(f[0])).toBe(7);
    expect(fieldInt(f[1])).toBe(300);
    expect(fieldInt(f[2])).toBe(2 ** 40);
    expect(fieldInt(f[3])).toBe(-5);
    expect(f[3].end - f[3].start).toBe(11); // tag + 10-byte two's complement, as protobuf requires
    expect(new DataView((f[4].value as Uint8Array).slice().buffer).getFloat32(0, true)).toBe(1.5);
    const nested = readFields(f[5].value as Uint8Array);
    expect(fieldString(nested[0])).toBe('héllo');
    expect(fieldInt(nested[1])).toBe(-1);
    expect(fieldInts(f[6])).toEqual([1, -2, 300]);
  });

  it('rejects truncated and malformed input', () => {
    const bytes = new ProtoWriter().string(1, 'abcdef').finish();
    expect(() => readFields(bytes.subarray(0, 4))).toThrow(/needs 6 bytes/);
    expect(() => readFields(new Uint8Array([0x0f]))).toThrow(/wire type 7/);
    expect(() => readFields(new Uint8Array([0x08, 0xff]))).toThrow(/past the end/);
  });

  it.skipIf(!hasPythonOnnx())('the Python checker used by the export tests does reject a broken graph', () => {
    const broken = encodeModel({
      graphName: 'broken',
      nodes: [{ opType: 'Relu', inputs: ['not_defined'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'y', dims: ['N', 3] }],
      opsets: [{ domain: '', version: 13 }],
      irVersion: 7,
    });
    const ok = encodeModel({
      graphName: 'ok',
      nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'y', dims: ['N', 3] }],
      opsets: [{ domain: '', version: 13 }],
      irVersion: 7,
    });
    const errors = pythonCheck({ broken, ok });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('broken');
  });
});
