import { describe, expect, it } from 'vitest';
import { analyzeNetwork } from '../shapes';
import { fmt } from '../format';
import { newLayer } from '../new-layer';
import { LAYER_KINDS, type LayerSpec, type NetworkSpec } from '../spec';
import { LAYERS } from '.';

/** A network with `layer` at the place its kind fits, closed by a dense layer of 10 units. */
function around(layer: LayerSpec): NetworkSpec {
  return { version: 1, input: { C: 3, H: 12, W: 12 }, layers: [layer, { id: 'out', kind: 'dense', units: 10, bias: true }] };
}

describe('the layer table', () => {
  it.each(LAYER_KINDS)('%s: fields name exactly the keys of a new layer', (kind) => {
    const layer = newLayer(kind, 'x') as unknown as Record<string, unknown>;
    const keys = Object.keys(layer).filter((k) => k !== 'id' && k !== 'kind');
    const fieldKeys = LAYERS[kind].fields.map((f) => f.key);
    for (const k of keys) expect(fieldKeys).toContain(k);
    const mayLack = LAYERS[kind].fields.filter((f) => f.type === 'activation' || (f.type === 'number' && f.absent !== undefined)).map((f) => f.key);
    for (const k of fieldKeys) if (!mayLack.includes(k)) expect(keys).toContain(k);
  });

  it.each(LAYER_KINDS)('%s: the parameter count from its tensors is the one its arithmetic shows', (kind) => {
    const a = analyzeNetwork(around(newLayer(kind, 'x')));
    expect(a.ok).toBe(true);
    const l = a.layers[0]!;
    if (l.params > 0) expect(l.arithmetic.params).toContain(`= ${fmt(l.params)}`);
    else expect(l.arithmetic.params).toMatch(/^0 /);
    if (kind === 'batch-norm') expect(l.stateCount).toBe(6);
  });
});

describe('conv2d groups', () => {
  const conv = (C: number, K: number, groups?: number) =>
    analyzeNetwork({
      version: 1,
      input: { C, H: 6, W: 6 },
      layers: [{ ...newLayer('conv2d', 'c'), K, ...(groups !== undefined && { groups }) }, { id: 'out', kind: 'dense', units: 10, bias: true }],
    });

  it('absent is 1: a plain conv', () => {
    expect(conv(4, 8).layers[0]!.params).toBe(8 * (9 * 4 + 1));
    expect(conv(4, 8, 1).layers[0]!.params).toBe(8 * (9 * 4 + 1));
  });

  it('G groups: K·(F·F·C/G + 1) parameters and G times fewer multiply-adds', () => {
    const plain = conv(4, 8).layers[0]!;
    const grouped = conv(4, 8, 2).layers[0]!;
    expect(grouped.params).toBe(8 * (9 * 2 + 1));
    expect(grouped.macs * 2).toBe(plain.macs);
    // The inspector's comparison: a plain conv with the same K and F on the same input.
    expect(grouped.plainConv).toEqual({ params: plain.params, macs: plain.macs });
    expect(plain.plainConv).toBeUndefined();
    expect(conv(4, 4, 4).layers[0]!.arithmetic.params).toBe('4·(3·3·4/4 + 1) = 40');
  });

  it('C or K not divisible by groups: says which and what would divide both', () => {
    const e = conv(6, 8, 4).layers[0]!.error!;
    expect(e.field).toBe('groups');
    expect(e.reason).toBe('groups = 4 must divide both the input channels and the filters, but not the C = 6 input channels: 6/4 = 1.5');
    expect(e.suggestion).toBe('use groups = 1, 2');
    expect(conv(4, 6, 4).layers[0]!.error!.reason).toContain('K = 6 filters: 6/4 = 1.5');
    expect(conv(4, 4, 3).layers[0]!.error!.suggestion).toBe('use groups = 1, 2, 4 (4: depthwise, one group per channel)');
  });

  it('groups must be a whole number ≥ 1', () => {
    expect(conv(4, 4, 0).errors[0]!.reason).toBe('groups must be a whole number from 1 to 4,096, got 0');
    expect(conv(4, 4, 1.5).errors[0]!.field).toBe('groups');
  });
});
