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
    for (const k of fieldKeys) if (k !== 'activation') expect(keys).toContain(k);
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
