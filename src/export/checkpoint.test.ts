import { describe, expect, it } from 'vitest';
import { getPreset, PRESET_IDS, type ConvplayDocument } from '../model';
import { fromSafetensors, toSafetensors, type Checkpoint, type ParamTensor } from './checkpoint';
import { expectedTensors, type ExpectedTensor } from './expected-tensors';
import { gatherTensors, scatterTensors, type FlatSlot } from './flat-buffers';
import { ExportError, ImportError } from './import-error';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bitwise equality (vitest's deep equality is slow on 400k-float arrays). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function expected(doc: ConvplayDocument): ExpectedTensor[] {
  const e = expectedTensors(doc.spec);
  if ('error' in e) throw new Error(e.error);
  return e;
}

function checkpoint(id: (typeof PRESET_IDS)[number], withOptimizer = true, seed = 1): Checkpoint {
  const p = getPreset(id);
  const doc = { spec: p.spec, train: p.train };
  const rnd = prng(seed);
  const fill = (e: ExpectedTensor, pos = false): ParamTensor => ({
    layerId: e.layerId,
    role: e.role,
    shape: e.shape,
    data: Float32Array.from({ length: e.shape.reduce((a, b) => a * b, 1) }, () => (pos || e.role === 'running-var' ? rnd() : rnd() - 0.5)),
  });
  const exp = expected(doc);
  const ckpt: Checkpoint = { doc, step: 1234, tensors: exp.map((e) => fill(e)) };
  if (withOptimizer) {
    const tr = exp.filter((e) => e.trainable);
    ckpt.optimizer = { step: 1234, m: tr.map((e) => fill(e)), v: tr.map((e) => fill(e, true)) };
  }
  return ckpt;
}

/** Re-encodes a checkpoint's file after `edit` changed its tensors or metadata. */
function edited(ckpt: Checkpoint, edit: (tensors: SafeTensor[], meta: Record<string, string>) => void): Uint8Array {
  const f = decodeSafetensors(toSafetensors(ckpt));
  const meta = { ...f.metadata };
  edit(f.tensors, meta);
  return encodeSafetensors(f.tensors, meta);
}

function refusal(bytes: Uint8Array): ImportError {
  try {
    fromSafetensors(bytes);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('checkpoint', () => {
  it.each(PRESET_IDS)('round-trips %s with optimizer moments', (id) => {
    const ckpt = checkpoint(id);
    const back = fromSafetensors(toSafetensors(ckpt));
    expect(back.doc).toEqual(ckpt.doc);
    expect(back.step).toBe(1234);
    expect(back.tensors.map((t) => [t.layerId, t.role, t.shape])).toEqual(ckpt.tensors.map((t) => [t.layerId, t.role, t.shape]));
    back.tensors.forEach((t, i) => expect(sameBits(t.data, ckpt.tensors[i]!.data)).toBe(true));
    expect(back.optimizer?.step).toBe(1234);
    back.optimizer!.m.forEach((t, i) => expect(sameBits(t.data, ckpt.optimizer!.m[i]!.data)).toBe(true));
    back.optimizer!.v.forEach((t, i) => expect(sameBits(t.data, ckpt.optimizer!.v[i]!.data)).toBe(true));
  });

  it('names tensors like PyTorch: conv/dense weight and bias, batch-norm statistics and num_batches_tracked', () => {
    const f = decodeSafetensors(toSafetensors(checkpoint('bn-dropout', false)));
    expect(f.tensors.map((t) => `${t.name} ${t.dtype} [${t.shape.join(',')}]`)).toEqual([
      'conv1.weight F32 [32,1,3,3]',
      'bn1.weight F32 [32]',
      'bn1.bias F32 [32]',
      'bn1.running_mean F32 [32]',
      'bn1.running_var F32 [32]',
      'conv2.weight F32 [64,32,3,3]',
      'bn2.weight F32 [64]',
      'bn2.bias F32 [64]',
      'bn2.running_mean F32 [64]',
      'bn2.running_var F32 [64]',
      'fc1.weight F32 [128,3136]',
      'fc1.bias F32 [128]',
      'fc2.weight F32 [10,128]',
      'fc2.bias F32 [10]',
      'bn1.num_batches_tracked I64 []',
      'bn2.num_batches_tracked I64 []',
    ]);
    expect((f.tensors.at(-1)!.data as BigInt64Array)[0]).toBe(1234n);
    expect(f.metadata['format']).toBe('convplay');
    expect(f.metadata['version']).toBe('1');
    expect(f.metadata['step']).toBe('1234');
    expect(f.metadata['optimizer_step']).toBeUndefined();
    expect(JSON.parse(f.metadata['spec']!).spec.layers[0].id).toBe('conv1');
  });

  it('puts moments under optimizer.m.<key> and optimizer.v.<key>', () => {
    const f = decodeSafetensors(toSafetensors(checkpoint('reference-cnn')));
    expect(f.tensors.map((t) => t.name).filter((n) => n.startsWith('optimizer.'))).toEqual([
      'optimizer.m.conv1.weight',
      'optimizer.m.conv1.bias',
      'optimizer.m.conv2.weight',
      'optimizer.m.conv2.bias',
      'optimizer.m.fc.weight',
      'optimizer.m.fc.bias',
      'optimizer.v.conv1.weight',
      'optimizer.v.conv1.bias',
      'optimizer.v.conv2.weight',
      'optimizer.v.conv2.bias',
      'optimizer.v.fc.weight',
      'optimizer.v.fc.bias',
    ]);
    expect(f.metadata['optimizer_step']).toBe('1234');
  });

  it('carries the number of training images (older files without it still load)', () => {
    const ckpt = { ...checkpoint('mlp', false), trainImages: 1000 };
    expect(fromSafetensors(toSafetensors(ckpt)).trainImages).toBe(1000);
    expect(decodeSafetensors(toSafetensors(ckpt)).metadata['train_images']).toBe('1000');
    expect(fromSafetensors(toSafetensors(checkpoint('mlp', false))).trainImages).toBeUndefined();
    expect(() => toSafetensors({ ...ckpt, trainImages: 0 })).toThrowError(ExportError);
  });

  it('accepts a file without num_batches_tracked (only PyTorch needs it)', () => {
    const bytes = edited(checkpoint('bn-dropout', false), (t) => t.splice(t.findIndex((x) => x.name === 'bn1.num_batches_tracked'), 1));
    expect(fromSafetensors(bytes).tensors).toHaveLength(14);
  });

  it('refuses to write tensors that do not match the design', () => {
    const c = checkpoint('reference-cnn', false);
    expect(() => toSafetensors({ ...c, tensors: c.tensors.slice(1) })).toThrow(/tensors conv1\/weight: missing \(expected shape \[32, 1, 3, 3\]\)/);
    expect(() => toSafetensors({ ...c, tensors: [...c.tensors, { ...c.tensors[0]!, layerId: 'x' }] })).toThrow(/tensors x\/weight: the design has no such tensor/);
    expect(() => toSafetensors({ ...c, tensors: [{ ...c.tensors[0]!, shape: [32, 9] }, ...c.tensors.slice(1)] })).toThrow(/shape \[32, 9\], the design needs \[32, 1, 3, 3\]/);
    expect(() => toSafetensors({ ...c, step: -1 })).toThrow(ExportError);
    const bad = structuredClone(c.doc);
    bad.spec.layers.pop();
    expect(() => toSafetensors({ ...c, doc: bad })).toThrow(/missing loss\/output/);
    expect(() => toSafetensors({ ...c, optimizer: { step: 1, m: c.tensors, v: [] } })).toThrow(/optimizer.v conv1\/weight: missing/);
  });

  const base = () => checkpoint('bn-dropout');
  const cases: [string, () => Uint8Array, string, RegExp][] = [
    ['a foreign safetensors file', () => encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [1], data: new Float32Array(1) }]), 'not-convplay', /not written by convplay/],
    ['another format', () => edited(base(), (_, m) => (m['format'] = 'other')), 'not-convplay', /format "other"/],
    ['another version', () => edited(base(), (_, m) => (m['version'] = '2')), 'version', /version 1, the file is version "2"/],
    ['no spec', () => edited(base(), (_, m) => delete m['spec']), 'metadata', /no spec/],
    ['a spec that is not JSON', () => edited(base(), (_, m) => (m['spec'] = '{')), 'spec', /not valid: not valid JSON/],
    ['a structurally wrong spec', () => edited(base(), (_, m) => (m['spec'] = m['spec']!.replace('"conv2d"', '"conv3d"'))), 'spec', /kind: expected one of/],
    ['a spec that cannot be built', () => edited(base(), (_, m) => (m['spec'] = m['spec']!.replace('"units":10', '"units":11'))), 'spec', /cannot be built: .*missing loss\/output/],
    ['no step', () => edited(base(), (_, m) => delete m['step']), 'metadata', /no step/],
    ['a bad step', () => edited(base(), (_, m) => (m['step'] = '-3')), 'metadata', /step must be a whole number ≥ 0, got "-3"/],
    ['a missing tensor', () => edited(base(), (t) => t.splice(0, 1)), 'missing-tensor', /conv1.weight \(conv1\/weight\) is missing \(expected F32 \[32, 1, 3, 3\]\)/],
    ['a wrong shape', () => edited(base(), (t) => (t[0] = { ...t[0]!, shape: [32, 9], data: t[0]!.data } as SafeTensor)), 'tensor-shape', /conv1.weight \(conv1\/weight\) has shape \[32, 9\], the design needs \[32, 1, 3, 3\]/],
    ['an unexpected tensor', () => edited(base(), (t) => t.push({ name: 'conv9.weight', dtype: 'F32', shape: [1], data: new Float32Array(1) })), 'unexpected-tensor', /no tensor "conv9.weight"/],
    ['a NaN weight', () => edited(base(), (t) => ((t[0]!.data as Float32Array)[5] = NaN)), 'values', /conv1.weight \(conv1\/weight\) holds NaN at index 5/],
    ['an infinite moment', () => edited(base(), (t) => ((t.find((x) => x.name === 'optimizer.m.fc2.bias')!.data as Float32Array)[0] = Infinity)), 'values', /optimizer.m.fc2.bias .* holds Infinity/],
    ['a negative running variance', () => edited(base(), (t) => ((t.find((x) => x.name === 'bn2.running_var')!.data as Float32Array)[3] = -1)), 'values', /bn2.running_var .* holds -1 at index 3: a variance cannot be negative/],
    ['a negative second moment', () => edited(base(), (t) => ((t.find((x) => x.name === 'optimizer.v.fc1.weight')!.data as Float32Array)[0] = -1)), 'values', /variance cannot be negative/],
    ['an I64 weight', () => edited(base(), (t) => (t[1] = { name: t[1]!.name, dtype: 'I64', shape: [32], data: new BigInt64Array(32) })), 'dtype', /bn1.weight .* is I64, expected F32/],
    ['num_batches_tracked as F32', () => edited(base(), (t) => (t[t.findIndex((x) => x.name === 'bn1.num_batches_tracked')] = { name: 'bn1.num_batches_tracked', dtype: 'F32', shape: [], data: new Float32Array(1) })), 'tensor-shape', /bn1.num_batches_tracked: expected an I64 scalar/],
    ['moments without optimizer_step', () => edited(base(), (_, m) => delete m['optimizer_step']), 'optimizer', /no optimizer_step/],
    ['half the moments', () => edited(base(), (t) => t.splice(t.findIndex((x) => x.name.startsWith('optimizer.v.')))), 'optimizer', /optimizer.v.conv1.weight .* is missing/],
    ['not safetensors at all', () => new TextEncoder().encode('{"format":"convplay"}'), 'header-length', /header claims/],
  ];

  it.each(cases)('refuses %s', (_name, make, reason, message) => {
    const e = refusal(make());
    expect(e.reason).toBe(reason);
    expect(e.detail).toMatch(message);
  });

  it('fuzz: mutated checkpoints never throw anything but ImportError', () => {
    const rnd = prng(7);
    const valid = toSafetensors(checkpoint('lenet-5', true));
    const n = new DataView(valid.buffer).getUint32(0, true);
    for (let i = 0; i < 800; i++) {
      const bytes = valid.slice();
      for (let k = 0, flips = 1 + Math.floor(rnd() * 3); k < flips; k++) {
        const at = rnd() < 0.9 ? 8 + Math.floor(rnd() * n) : 8 + n + Math.floor(rnd() * (bytes.length - 8 - n));
        bytes[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : '0123456789{}[]",:'.charCodeAt(Math.floor(rnd() * 17));
      }
      try {
        fromSafetensors(bytes);
      } catch (e) {
        if (!(e instanceof ImportError)) throw new Error(`case ${i}: threw ${String(e)}`);
      }
    }
  });
});

describe('flat buffers', () => {
  it('gathers slots out of a flat buffer and scatters them back', () => {
    const slots: FlatSlot[] = [
      { layerId: 'conv1', role: 'weight', shape: [2, 1, 1, 2], count: 4, offset: 0 },
      { layerId: 'conv1', role: 'bias', shape: [2], count: 2, offset: 64 },
      { layerId: 'bn', role: 'running-var', count: 3, offset: 128 },
    ];
    const flat = Float32Array.from({ length: 192 }, (_, i) => i);
    const tensors = gatherTensors(slots, flat);
    expect(tensors.map((t) => [t.layerId, t.role, t.shape, Array.from(t.data)])).toEqual([
      ['conv1', 'weight', [2, 1, 1, 2], [0, 1, 2, 3]],
      ['conv1', 'bias', [2], [64, 65]],
      ['bn', 'running-var', [3], [128, 129, 130]],
    ]);
    const into = new Float32Array(192);
    scatterTensors(slots, [...tensors].reverse(), into);
    expect(into[1]).toBe(1);
    expect(into[65]).toBe(65);
    expect(into[130]).toBe(130);
    expect(into[4]).toBe(0);
    expect(() => scatterTensors(slots, tensors.slice(1), into)).toThrow(/conv1\/weight: the checkpoint has no tensor/);
    expect(() => gatherTensors(slots, new Float32Array(10))).toThrow(/outside the 10-float buffer/);
  });
});
