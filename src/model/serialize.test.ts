import { describe, expect, it } from 'vitest';
import {
  decodeHash,
  encodeHash,
  fromJson,
  HASH_PREFIX,
  parseDocument,
  parseNetworkSpec,
  parseTrainConfig,
  toJson,
  type ConvplayDocument,
} from './serialize';
import { listPresets } from './presets';
import { defaultTrainConfig } from './spec';

const docs: ConvplayDocument[] = listPresets().map((p) => ({ spec: p.spec, train: p.train }));
const reference = docs[0]!;

/** mulberry32: a small seeded PRNG so the fuzzing is repeatable. */
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

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.15) return Math.floor(rand() * 100) - 20;
  if (r < 0.25) return rand() < 0.5 ? null : rand() < 0.5;
  if (r < 0.4) return ['conv2d', 'dense', 'same', 'x', '', 'relu', '__proto__'][Math.floor(rand() * 7)];
  if (r < 0.55) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const keys = ['version', 'input', 'layers', 'kind', 'id', 'K', 'F', 'S', 'P', 'spec', 'train', 'format', 'units', 'bias'];
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) o[keys[Math.floor(rand() * keys.length)]!] = randomValue(rand, depth + 1);
  return o;
}

/** Every path to a leaf or branch of a JSON value. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [prefix];
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  for (const [k, c] of Object.entries(v)) out.push(...paths(c, [...prefix, Array.isArray(v) ? Number(k) : k]));
  return out;
}

function mutate(doc: unknown, path: (string | number)[], f: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  f(node, path[path.length - 1]!);
  return copy;
}

describe('round trips', () => {
  it.each(docs.map((d, i) => [listPresets()[i]!.id, d] as const))('%s through the URL hash and JSON', (_, doc) => {
    const hash = encodeHash(doc);
    expect(hash.startsWith(HASH_PREFIX)).toBe(true);
    expect(hash).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(decodeHash(hash)).toEqual({ ok: true, value: doc });
    expect(decodeHash(`#${hash}`)).toEqual({ ok: true, value: doc });
    expect(fromJson(toJson(doc))).toEqual({ ok: true, value: doc });
  });

  it('keeps rectangular filters, string padding and optional fields', () => {
    const doc: ConvplayDocument = {
      spec: {
        version: 1,
        input: { C: 1, H: 28, W: 28 },
        layers: [
          { id: 'c', kind: 'conv2d', K: 4, F: [3, 5], S: 1, P: 'same', dilation: 1, bias: false, activation: 'leaky-relu' },
          { id: 'v', kind: 'conv2d', K: 4, F: 3, S: 1, P: 'valid', dilation: 2, bias: true },
          { id: 'fc', kind: 'dense', units: 10, bias: true },
        ],
      },
      train: { ...defaultTrainConfig, optimizer: { kind: 'adamw', lr: 3e-4, weightDecay: 0.01 }, schedule: { kind: 'step', stepSize: 500, gamma: 0.1 } },
    };
    expect(decodeHash(encodeHash(doc))).toEqual({ ok: true, value: doc });
  });

  it('keeps a network that does not fit (so a link can show why)', () => {
    const doc = structuredClone(reference);
    (doc.spec.layers[0] as { S: number }).S = 3;
    expect(decodeHash(encodeHash(doc)).ok).toBe(true);
  });

  it('parses spec and train config on their own', () => {
    expect(parseNetworkSpec(reference.spec)).toEqual({ ok: true, value: reference.spec });
    expect(parseTrainConfig(reference.train)).toEqual({ ok: true, value: reference.train });
  });

  it('keeps the weight initialisation (absent = PyTorch default) and refuses an unknown one', () => {
    for (const init of ['pytorch', 'he', 'glorot'] as const) expect(parseTrainConfig({ ...reference.train, init })).toEqual({ ok: true, value: { ...reference.train, init } });
    const r = parseTrainConfig({ ...reference.train, init: 'zeros' });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/init/);
  });
});

describe('rejects', () => {
  const bad = (v: unknown) => {
    const r = parseDocument(v);
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.error;
  };
  const envelope = (spec: unknown, train: unknown = defaultTrainConfig) => ({ format: 'convplay', version: 1, spec, train });

  it('garbage links and files with a message', () => {
    for (const s of ['', '#', 'v1.', 'v2.abc', 'v1.!!!', 'v1.a', 'hello', '#v1.e30', 'v1.' + 'A'.repeat(200_000)]) {
      const r = decodeHash(s);
      expect(r.ok, s.slice(0, 20)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    }
    expect(decodeHash(42).ok).toBe(false);
    expect(fromJson('{"format": "convplay", ').ok).toBe(false);
    expect(fromJson('null').ok).toBe(false);
    expect(fromJson(undefined).ok).toBe(false);
    const invalidUtf8 = 'v1.' + btoa(String.fromCharCode(0xff, 0xfe, 0xfd)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(decodeHash(invalidUtf8)).toEqual({ ok: false, error: 'the link is damaged (not valid UTF-8)' });
  });

  it('an unknown kind, wrong types, missing and unknown fields', () => {
    const layers = (l: unknown) => ({ version: 1, input: { C: 1, H: 28, W: 28 }, layers: [l] });
    expect(bad(envelope(layers({ id: 'a', kind: 'softmax' })))).toBe('spec.layers[0].kind: expected one of conv2d, max-pool, avg-pool, global-avg-pool, flatten, relu, sigmoid, tanh, leaky-relu, batch-norm, dropout, dense, got "softmax"');
    expect(bad(envelope(layers({ id: 'a', kind: 'dense', units: '10', bias: true })))).toBe('spec.layers[0].units: expected a finite number, got "10"');
    expect(bad(envelope(layers({ id: 'a', kind: 'dense', units: 10 })))).toBe('spec.layers[0].bias: missing');
    expect(bad(envelope(layers({ id: 'a', kind: 'relu', extra: 1 })))).toContain('unknown field "extra"');
    expect(bad(envelope(layers({ id: 'a', kind: 'conv2d', K: 1, F: [3], S: 1, P: 0, dilation: 1, bias: true })))).toContain('[FH, FW]');
    expect(bad(envelope(layers({ id: 'a', kind: 'conv2d', K: 1, F: 3, S: 1, P: 'full', dilation: 1, bias: true })))).toContain('.P:');
    expect(bad(envelope(layers({ id: 'a', kind: 'dense', units: 10, bias: true, activation: 'softmax' })))).toContain('activation');
    expect(bad({ ...envelope(reference.spec), version: 2 })).toContain('version');
    expect(bad({ ...envelope(reference.spec), format: 'keras' })).toContain('format');
    expect(bad(envelope(reference.spec, { ...defaultTrainConfig, optimizer: { kind: 'rmsprop', lr: 1 } }))).toContain('train.optimizer.kind');
    expect(bad(envelope(reference.spec, { ...defaultTrainConfig, batch: null }))).toBe('train.batch: expected a finite number, got null');
  });

  it('too many layers, too long or odd ids, non-finite numbers', () => {
    const many = Array.from({ length: 65 }, (_, i) => ({ id: `r${i}`, kind: 'relu' }));
    expect(bad(envelope({ ...reference.spec, layers: many }))).toContain('too many layers');
    expect(bad(envelope({ ...reference.spec, layers: [{ id: 'x'.repeat(65), kind: 'relu' }] }))).toContain('.id');
    expect(bad(envelope({ ...reference.spec, layers: [{ id: '<script>', kind: 'relu' }] }))).toContain('.id');
    const json = toJson(reference).replace('"K": 32', '"K": 1e999');
    const r = fromJson(json);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('spec.layers[0].K: expected a finite number, got Infinity');
  });

  it('does not let __proto__ through', () => {
    const text = toJson(reference).replace('"kind": "conv2d",', '"kind": "conv2d", "__proto__": {"polluted": true},');
    expect(fromJson(text).ok).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('every single-field deletion or type change of a valid document (never throws)', () => {
    const doc = JSON.parse(toJson(docs[4]!)) as unknown;
    const optionalKeys = new Set(['activation', 'groups', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'warmupSteps', 'stepSize', 'gamma', 'minLr']);
    let checked = 0;
    for (const path of paths(doc)) {
      const key = path[path.length - 1]!;
      const inLayerList = path.length === 3 && path[1] === 'layers';
      const deleted = mutate(doc, path, (p, k) => (Array.isArray(p) ? p.splice(Number(k), 1) : delete p[k]));
      const r = parseDocument(deleted);
      // Dropping a whole layer, or an optional field, still leaves a well-formed document.
      const isBnEpsilon = key === 'epsilon' && path[1] === 'layers';
      const mayDrop = inLayerList || (typeof key === 'string' && optionalKeys.has(key) && !isBnEpsilon && !(key === 'momentum' && path[1] === 'layers'));
      expect(r.ok, `delete ${path.join('.')}`).toBe(mayDrop);
      for (const replacement of [null, 'x', [], {}, Number.NaN, true]) {
        const changed = mutate(doc, path, (p, k) => (p[k] = replacement));
        expect(() => parseDocument(changed)).not.toThrow();
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('random strings and objects (seeded fuzz) never throw', () => {
    const rand = prng(1234);
    const good = encodeHash(reference);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 60);
      let s = '';
      for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(rand() * 128));
      expect(() => decodeHash(s)).not.toThrow();
      expect(() => fromJson(s)).not.toThrow();
      expect(decodeHash(s).ok).toBe(false);
      // Flip one character of a valid hash: it must either parse or fail cleanly.
      const at = HASH_PREFIX.length + Math.floor(rand() * (good.length - HASH_PREFIX.length));
      const flipped = good.slice(0, at) + 'ABCxyz-_09'[Math.floor(rand() * 10)] + good.slice(at + 1);
      expect(() => decodeHash(flipped)).not.toThrow();
      const v = randomValue(rand);
      expect(() => parseDocument(v)).not.toThrow();
      expect(() => parseNetworkSpec(v)).not.toThrow();
      expect(() => parseTrainConfig(v)).not.toThrow();
      expect(parseDocument(v).ok).toBe(false);
    }
  });
});
