import { describe, expect, it } from 'vitest';
import { ExportError, ImportError } from './import-error';
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, type SafeTensor } from './safetensors';

/** Seeded mulberry32, so a fuzz failure replays. */
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

/** A file with the given header object (padded to 8) followed by `data` bytes. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), rawHeader?: string): Uint8Array {
  let json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const h = new Uint8Array(padded).fill(0x20);
  h.set(json);
  json = h;
  const out = new Uint8Array(8 + padded + data.length);
  new DataView(out.buffer).setUint32(0, padded, true);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}

function refusal(bytes: Uint8Array): ImportError {
  try {
    decodeSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

const sample: SafeTensor[] = [
  { name: 'conv1.weight', dtype: 'F32', shape: [2, 1, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => i * 0.5 - 3) },
  { name: 'conv1.bias', dtype: 'F32', shape: [2], data: Float32Array.of(-0, Number.MIN_VALUE) },
  { name: 'bn.num_batches_tracked', dtype: 'I64', shape: [], data: BigInt64Array.of(123456789012n) },
  { name: 'empty', dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
];

describe('safetensors', () => {
  it('round-trips tensors (F32 and an I64 scalar), shapes and metadata', () => {
    const bytes = encodeSafetensors(sample, { format: 'convplay', note: 'ünïcode ✓' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'convplay', note: 'ünïcode ✓' });
    expect(back.tensors.map((t) => t.name)).toEqual(sample.map((t) => t.name));
    back.tensors.forEach((t, i) => {
      expect(t.dtype).toBe(sample[i]!.dtype);
      expect(t.shape).toEqual(sample[i]!.shape);
      expect(Array.from(t.data as ArrayLike<unknown>)).toEqual(Array.from(sample[i]!.data as ArrayLike<unknown>));
    });
    expect(Object.is((back.tensors[1]!.data as Float32Array)[0], -0)).toBe(true);
  });

  it('writes the layout the format defines (header length, JSON, offsets)', () => {
    const bytes = encodeSafetensors([{ name: 'a', dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) }]);
    const n = new DataView(bytes.buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
    expect(new Float32Array(bytes.slice(8 + n).buffer)).toEqual(Float32Array.of(1, 2));
  });

  it('reads a file without metadata, with tensors out of order and unaligned in the input buffer', () => {
    const data = new Uint8Array(12);
    new DataView(data.buffer).setFloat32(0, 7, true);
    new DataView(data.buffer).setFloat32(4, 8, true);
    new DataView(data.buffer).setFloat32(8, 9, true);
    const f = file({ b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data);
    const shifted = new Uint8Array(f.length + 1);
    shifted.set(f, 1);
    const back = decodeSafetensors(shifted.subarray(1));
    expect(back.metadata).toEqual({});
    expect(back.tensors.map((t) => [t.name, Array.from(t.data as Float32Array)])).toEqual([
      ['a', [7, 8]],
      ['b', [9]],
    ]);
  });

  it('refuses inconsistent input when writing', () => {
    expect(() => encodeSafetensors([{ name: 'a', dtype: 'F32', shape: [3], data: new Float32Array(2) }])).toThrow(ExportError);
    expect(() => encodeSafetensors([sample[0]!, sample[0]!])).toThrow(/share this name/);
    expect(() => encodeSafetensors([{ ...sample[0]!, name: '__metadata__' }])).toThrow(ExportError);
    expect(() => encodeSafetensors([{ name: 'a', dtype: 'F32', shape: [-1], data: new Float32Array(0) }])).toThrow(/whole numbers/);
  });

  const f32 = (n: number) => new Uint8Array(n * 4);
  const cases: [string, Uint8Array, string, RegExp][] = [
    ['empty file', new Uint8Array(0), 'too-short', /0 bytes long/],
    ['7 bytes', new Uint8Array(7), 'too-short', /7 bytes long/],
    ['header length beyond 2^32', Uint8Array.of(0, 0, 0, 0, 1, 0, 0, 0), 'header-length', /more than the 16777216/],
    ['header length beyond the bound', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setUint32(0, MAX_HEADER_BYTES + 1, true); return b; })(), 'header-length', /more than/],
    ['header length beyond the file', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setUint32(0, 100, true); return b; })(), 'header-length', /only 8 follow/],
    ['header not UTF-8', (() => { const b = file({}); b[8] = 0xff; return b; })(), 'header-json', /not UTF-8/],
    ['header not JSON', file(null, undefined, '{"a": '), 'header-json', /not JSON/],
    ['header a list', file([1, 2]), 'header-json', /must be a JSON object, got \[1, 2\]/],
    ['header a number', file(5), 'header-json', /got 5/],
    ['entry not an object', file({ a: 3 }), 'tensor-entry', /tensor "a" must be an object/],
    ['entry without dtype', file({ a: { shape: [], data_offsets: [0, 4] } }, f32(1)), 'tensor-entry', /"a" has no dtype/],
    ['entry without shape', file({ a: { dtype: 'F32', data_offsets: [0, 4] } }, f32(1)), 'tensor-entry', /has no shape/],
    ['entry without offsets', file({ a: { dtype: 'F32', shape: [] } }, f32(1)), 'tensor-entry', /has no data_offsets/],
    ['entry with an extra field', file({ a: { dtype: 'F32', shape: [], data_offsets: [0, 4], x: 1 } }, f32(1)), 'tensor-entry', /unknown field "x"/],
    ['empty tensor name', file({ '': { dtype: 'F32', shape: [], data_offsets: [0, 4] } }, f32(1)), 'tensor-entry', /empty name/],
    ['F16', file({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, f32(1)), 'dtype', /"a" is stored as F16; convplay reads F32/],
    ['unknown dtype', file({ a: { dtype: 'Q4', shape: [2], data_offsets: [0, 4] } }, f32(1)), 'dtype', /unknown dtype "Q4"/],
    ['dtype not a string', file({ a: { dtype: 4, shape: [2], data_offsets: [0, 4] } }, f32(1)), 'dtype', /must be a string/],
    ['negative dimension', file({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), 'shape', /whole numbers ≥ 0, got \[-1\]/],
    ['fractional dimension', file({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, f32(1)), 'shape', /got \[1.5\]/],
    ['string dimension', file({ a: { dtype: 'F32', shape: ['2'], data_offsets: [0, 8] } }, f32(2)), 'shape', /shape must be/],
    ['shape not a list', file({ a: { dtype: 'F32', shape: 2, data_offsets: [0, 8] } }, f32(2)), 'shape', /got 2/],
    ['offsets of three', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, f32(2)), 'offsets', /\[begin, end\]/],
    ['offsets reversed', file({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32(1)), 'offsets', /end before they begin/],
    ['offsets past the data', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)), 'offsets', /run past the 4 bytes/],
    ['shape ≠ offsets', file({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)), 'offsets', /needs 12 bytes but data_offsets \[0, 8\] hold 8/],
    ['overflowing shape', file({ a: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] } }, f32(1)), 'offsets', /needs more than 2\^53 bytes/],
    ['a zero dimension after huge ones', file({ a: { dtype: 'F32', shape: [2 ** 52, 2 ** 52, 0], data_offsets: [0, 4] } }, f32(1)), 'offsets', /needs 0 bytes but data_offsets \[0, 4\] hold 4/],
    ['overlap', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), 'offsets', /"b" .*overlaps tensor "a"|"a" .*overlaps tensor "b"/],
    ['gap', file({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), 'coverage', /bytes 0–4 of the data section belong to no tensor/],
    ['trailing bytes', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), 'coverage', /cover 4 bytes of data but the file holds 8/],
    ['metadata not an object', file({ __metadata__: ['a'] }), 'metadata', /__metadata__ must be an object of strings/],
    ['metadata with a number', file({ __metadata__: { step: 3 } }), 'metadata', /__metadata__."step" must be a string, got 3/],
  ];

  it.each(cases)('refuses %s', (_name, bytes, reason, message) => {
    const e = refusal(bytes);
    expect(e.reason).toBe(reason);
    expect(e.detail).toMatch(message);
    expect(e.message).toContain(e.detail);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ reason, detail: e.detail });
  });

  it('fuzz: random bytes and mutated valid files never throw anything but ImportError', () => {
    const rnd = prng(20240601);
    const valid = encodeSafetensors(sample, { format: 'convplay', spec: '{}' });
    const n = new DataView(valid.buffer).getUint32(0, true);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes: Uint8Array;
      const mode = i % 4;
      if (mode === 0) {
        bytes = Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
        if (bytes.length >= 8 && rnd() < 0.7) {
          new DataView(bytes.buffer).setUint32(0, Math.floor(rnd() * bytes.length), true);
          bytes.fill(0, 4, 8);
        }
      } else if (mode === 1) {
        // Flip bytes anywhere, mostly in the header.
        bytes = valid.slice();
        for (let k = 0, flips = 1 + Math.floor(rnd() * 4); k < flips; k++) {
          const at = rnd() < 0.8 ? 8 + Math.floor(rnd() * n) : Math.floor(rnd() * bytes.length);
          bytes[at] = Math.floor(rnd() * 256);
        }
      } else if (mode === 2) {
        // Truncate or extend.
        const len = Math.floor(rnd() * (valid.length + 16));
        bytes = new Uint8Array(len);
        bytes.set(valid.subarray(0, Math.min(len, valid.length)));
      } else {
        // Replace a digit or a quote-delimited token in the header JSON.
        const text = new TextDecoder().decode(valid.subarray(8, 8 + n));
        const tokens = ['-1', '1e400', '"F64"', 'null', '[]', '{}', '"x"', '0.5', '99999999999', '"'];
        const at = Math.floor(rnd() * text.length);
        const mutated = text.slice(0, at) + tokens[Math.floor(rnd() * tokens.length)]! + text.slice(at + 1 + Math.floor(rnd() * 3));
        bytes = file(null, valid.subarray(8 + n), mutated);
      }
      try {
        decodeSafetensors(bytes);
        accepted++;
      } catch (e) {
        if (!(e instanceof ImportError)) throw new Error(`case ${i}: threw ${String(e)}`);
        expect(e.detail.length).toBeGreaterThan(0);
      }
    }
    expect(accepted).toBeLessThan(3000);
  });
});
