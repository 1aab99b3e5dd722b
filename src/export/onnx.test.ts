import { describe, expect, it } from 'vitest';
import { getPreset, type ConvplayDocument } from '../model';
import type { ParamTensor } from './checkpoint';
import { expectedTensors } from './expected-tensors';
import { ExportError } from './import-error';
import { toOnnx } from './onnx';
import { ProtoWriter } from './protobuf';

// A minimal protobuf reader, enough to look inside what toOnnx writes (tools/check-onnx-export.mjs
// runs the files with the ONNX checker and onnxruntime; this pins the structure without them).
type Field = { field: number; wire: number; value: bigint | Uint8Array | number };
function read(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = () => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = bytes[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const wire = key & 7;
    if (wire === 0) out.push({ field: key >> 3, wire, value: varint() });
    else if (wire === 5) {
      out.push({ field: key >> 3, wire, value: new DataView(bytes.buffer, bytes.byteOffset + at, 4).getFloat32(0, true) });
      at += 4;
    } else if (wire === 2) {
      const n = Number(varint());
      out.push({ field: key >> 3, wire, value: bytes.subarray(at, at + n) });
      at += n;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
const sub = (f: Field[], n: number) => f.filter((x) => x.field === n).map((x) => x.value as Uint8Array);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

function weightsFor(doc: ConvplayDocument): ParamTensor[] {
  const expected = expectedTensors(doc.spec);
  if ('error' in expected) throw new Error(expected.error);
  return expected.map((e) => ({ layerId: e.layerId, role: e.role, shape: e.shape, data: new Float32Array(e.shape.reduce((a, b) => a * b, 1)).fill(0.5) }));
}

describe('protobuf writer', () => {
  it('writes varints, negative int64, floats and nested messages as the wire format says', () => {
    expect([...new ProtoWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new ProtoWriter().int(2, -1).finish()]).toEqual([0x10, ...Array(9).fill(0xff), 0x01]);
    expect([...new ProtoWriter().float(3, 1).finish()]).toEqual([0x1d, 0, 0, 0x80, 0x3f]);
    expect([...new ProtoWriter().message(3, new ProtoWriter().int(1, 150)).finish()]).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
    expect([...new ProtoWriter().packedInts(4, [3, 270]).finish()]).toEqual([0x22, 0x03, 0x03, 0x8e, 0x02]);
  });
});

describe('toOnnx', () => {
  it('writes opset 13, the layers as ONNX ops in order, and every weight as an initializer', () => {
    const p = getPreset('bn-dropout');
    const doc = { spec: p.spec, train: p.train };
    const model = read(toOnnx(doc, weightsFor(doc)));
    expect(model.find((f) => f.field === 1)!.value).toBe(7n); // ir_version
    const opset = read(sub(model, 8)[0]!);
    expect(opset.find((f) => f.field === 2)!.value).toBe(13n);
    const graph = read(sub(model, 7)[0]!);
    const ops = sub(graph, 1).map((n) => str(sub(read(n), 4)[0]!));
    // Dropout is gone (evaluation mode); the dense layer on C×H×W gets a Flatten.
    expect(ops).toEqual(['Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm', 'Identity', 'Softmax']);
    const inits = sub(graph, 5).map((t) => str(sub(read(t), 8)[0]!));
    expect(inits).toEqual([
      'conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var',
      'conv2.weight', 'bn2.weight', 'bn2.bias', 'bn2.running_mean', 'bn2.running_var',
      'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias',
    ]);
    // Each node reads what the one before wrote (a chain from `input` to `logits`).
    const nodes = sub(graph, 1).map((n) => read(n));
    let x = 'input';
    for (const n of nodes.slice(0, -1)) {
      expect(str(sub(n, 1)[0]!)).toBe(x);
      x = str(sub(n, 2)[0]!);
    }
    expect(x).toBe('logits');
    // dims are packed varints: one record of [32, 1, 3, 3] (all below 128, so one byte each).
    expect([...sub(read(sub(graph, 5)[0]!), 1)[0]!]).toEqual([32, 1, 3, 3]);
  });

  it('writes a grouped conv with its group attribute and [K, C/G, FH, FW] weights', () => {
    const p = getPreset('depthwise-separable');
    const doc = { spec: p.spec, train: p.train };
    const graph = read(sub(read(toOnnx(doc, weightsFor(doc))), 7)[0]!);
    const nodes = sub(graph, 1).map((n) => read(n));
    const group = (name: string) => {
      const node = nodes.find((n) => str(sub(n, 3)[0]!) === name)!;
      const attr = sub(node, 5).map((a) => read(a)).find((a) => str(sub(a, 1)[0]!) === 'group')!;
      return attr.find((f) => f.field === 3)!.value;
    };
    expect(group('depthwise')).toBe(32n);
    expect(group('pointwise')).toBe(1n);
    const inits = sub(graph, 5).map((t) => read(t));
    const dw = inits.find((t) => str(sub(t, 8)[0]!) === 'depthwise.weight')!;
    expect([...sub(dw, 1)[0]!]).toEqual([32, 1, 3, 3]);
  });

  it('a residual block is its body, its shortcut (1×1 Conv for a projection), an Add and a Relu', () => {
    const p = getPreset('small-resnet');
    const doc = { spec: p.spec, train: p.train };
    const graph = read(sub(read(toOnnx(doc, weightsFor(doc))), 7)[0]!);
    const nodes = sub(graph, 1).map((n) => read(n));
    const op = (n: Field[]) => str(sub(n, 4)[0]!);
    const io = (n: Field[]) => [sub(n, 1).map(str), sub(n, 2).map(str)];
    const convBnRelu = ['Conv', 'BatchNormalization', 'Relu'];
    const body = [...convBnRelu, 'Conv', 'BatchNormalization'];
    expect(nodes.map(op)).toEqual([...convBnRelu, 'MaxPool', ...body, 'Add', 'Relu', ...body, 'Conv', 'Add', 'Relu', 'GlobalAveragePool', 'Flatten', 'Gemm', 'Identity', 'Softmax']);
    const adds = nodes.filter((n) => op(n) === 'Add').map(io);
    expect(adds).toEqual([
      [['res1_b_bn.out', 'stem_pool.out'], ['res1.out']],
      [['res2_b_bn.out', 'res2_shortcut.out'], ['res2.out']],
    ]);
    const projection = nodes.find((n) => str(sub(n, 3)[0]!) === 'res2_shortcut')!;
    expect(io(projection)[0]).toEqual(['res1_relu.out', 'res2_shortcut.weight', 'res2_shortcut.bias']);
  });

  it('says which tensor is missing instead of writing a broken file', () => {
    const p = getPreset('reference-cnn');
    const doc = { spec: p.spec, train: p.train };
    const weights = weightsFor(doc).filter((t) => !(t.layerId === 'fc' && t.role === 'bias'));
    expect(() => toOnnx(doc, weights)).toThrow(ExportError);
    expect(() => toOnnx(doc, weights)).toThrow(/fc\/bias.*missing/);
  });
});
