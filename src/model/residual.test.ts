import { describe, expect, it } from 'vitest';
import { getPreset } from './presets';
import { forwardOrder, leafLayers, newBlock } from './residual';
import { decodeHash, encodeHash, parseNetworkSpec } from './serialize';
import { analyzeNetwork } from './shapes';
import { defaultTrainConfig, type Conv2dLayer, type LayerItem, type NetworkSpec, type ResidualBlock } from './spec';

const conv = (id: string, K: number, extra: Partial<Conv2dLayer> = {}): Conv2dLayer => ({ id, kind: 'conv2d', K, F: 3, S: 1, P: 1, dilation: 1, bias: true, ...extra });
const block = (id: string, body: LayerItem[], extra: Partial<ResidualBlock> = {}): ResidualBlock => ({ ...newBlock(id, body), ...extra });
const net = (layers: LayerItem[], C = 8, H = 9): NetworkSpec => ({ version: 1, input: { C, H, W: H }, layers });
const head: LayerItem[] = [{ id: 'gap', kind: 'global-avg-pool' }, { id: 'fc', kind: 'dense', units: 10, bias: true }];

describe('residual block shapes', () => {
  it('an identity block keeps the shape; its layers and the sum are analysed', () => {
    const a = analyzeNetwork(net([block('r', [conv('a', 8), conv('b', 8)]), ...head]));
    expect(a.errors.map((e) => e.message)).toEqual([]);
    expect(a.layers.map((l) => l.id)).toEqual(['a', 'b', 'gap', 'fc']);
    expect(a.blocks).toHaveLength(1);
    expect(a.blocks[0]).toMatchObject({ id: 'r', depth: 0, first: 0, end: 2, inShape: [8, 9, 9], bodyOut: [8, 9, 9], shortcutOut: [8, 9, 9], outShape: [8, 9, 9] });
    expect(a.blocks[0]!.params).toBe(2 * 8 * (72 + 1));
    // The sum and the ReLU after it are two more 8×9×9 maps.
    const leaves = a.layers.reduce((s, l) => s + l.activationBytes, 0);
    expect(a.totals.activationBytes).toBe(leaves + 2 * 8 * 81 * 4);
  });

  it('an identity shortcut that cannot match says why and suggests the projection with K and S', () => {
    const a = analyzeNetwork(net([block('r', [conv('a', 16, { F: 3, S: 2, P: 1 })]), ...head]));
    expect(a.ok).toBe(false);
    const e = a.blocks[0]!.error!;
    expect(e.layerId).toBe('r');
    expect(e.reason).toBe("the sum cannot add the body's output 16×5×5 to the shortcut: the identity shortcut passes the input 8×9×9 unchanged");
    expect(e.suggestion).toBe('use a projection shortcut: a 1×1 convolution with K = 16, stride S = 2');
    expect(a.errors).toContain(e);
  });

  it('channels alone differ: the projection suggested has stride 1', () => {
    const a = analyzeNetwork(net([block('r', [conv('a', 4)]), ...head]));
    expect(a.blocks[0]!.error!.suggestion).toBe('use a projection shortcut: a 1×1 convolution with K = 4, stride S = 1 (it maps 8 channels to 4)');
  });

  it('a projection counts K·(C + 1) parameters, reads every S-th pixel, and a wrong stride is named', () => {
    const ok = analyzeNetwork(net([block('r', [conv('a', 16, { S: 2 })], { shortcut: 'projection', S: 2, bias: true }), ...head]));
    expect(ok.errors.map((e) => e.message)).toEqual([]);
    const proj = ok.layers.find((l) => l.id === 'r.shortcut')!;
    expect(proj).toMatchObject({ kind: 'conv2d', inShape: [8, 9, 9], outShape: [16, 5, 5], params: 16 * 9, macs: 25 * 16 * 8 });
    expect(proj.arithmetic.outSize).toBe('1×1 projection, stride 2 reads every 2nd pixel: ⌊(9 − 1)/2⌋ + 1 = 5');
    expect(ok.leaves.find((l) => l.id === 'r.shortcut')).toMatchObject({ kind: 'conv2d', K: 16, F: 1, S: 2, P: 0 });
    expect(ok.totals.params).toBe(16 * 73 + 16 * 9 + 16 * 10 + 10 * 17 - 16 * 10 + 0);
    const bad = analyzeNetwork(net([block('r', [conv('a', 16, { S: 2 })], { shortcut: 'projection', S: 3 }), ...head]));
    expect(bad.blocks[0]!.error!.field).toBe('S');
    expect(bad.blocks[0]!.error!.suggestion).toBe("set the projection's stride S = 2 (⌊(9 − 1)/2⌋ + 1 = 5)");
  });

  it('a body that flattens cannot be summed; an empty body is an error', () => {
    const flat = analyzeNetwork(net([block('r', [{ id: 'f', kind: 'flatten' }]), { id: 'fc', kind: 'dense', units: 10, bias: true }]));
    expect(flat.blocks[0]!.error!.reason).toContain('a residual block must keep C×H×W feature maps');
    const empty = analyzeNetwork(net([block('r', []), ...head]));
    expect(empty.errors[0]!.reason).toBe('a residual block needs at least one layer in its body');
  });

  it('blocks nest: ids are unique across depths, the inner block is depth 1', () => {
    const spec = net([block('outer', [block('inner', [conv('a', 8)]), conv('b', 8)]), ...head]);
    const a = analyzeNetwork(spec);
    expect(a.errors).toEqual([]);
    expect(a.blocks.map((b) => [b.id, b.depth, b.first, b.end])).toEqual([['outer', 0, 0, 2], ['inner', 1, 0, 1]]);
    expect(leafLayers(spec.layers).map((l) => l.id)).toEqual(['a', 'b', 'gap', 'fc']);
    expect(forwardOrder(spec.layers).map((l) => l.id)).toEqual(['a', 'inner', 'b', 'outer', 'gap', 'fc']);
    const dup = analyzeNetwork(net([block('x', [conv('x', 8)]), ...head]));
    expect(dup.errors.map((e) => e.reason)).toContain('two layers share the id "x"');
  });

  it('the small ResNet preset: 60,090 parameters, the projection halves 14 to 7', () => {
    const a = analyzeNetwork(getPreset('small-resnet').spec);
    expect(a.errors).toEqual([]);
    // Convs without bias (batch-norm follows), each batch-norm's γ and β, the projection with bias, fc.
    expect(a.totals.params).toBe(144 + 2 * 2_304 + 16_384 + 36_864 + 2 * (16 + 16 + 16 + 64 + 64) + 1_088 + 650);
    expect(a.totals.params).toBe(60_090);
    expect(a.blocks.map((b) => b.outShape)).toEqual([[16, 14, 14], [64, 7, 7]]);
  });
});

describe('residual blocks in links and files', () => {
  it('round-trips through the URL hash, nested', () => {
    const spec = net([block('outer', [block('inner', [conv('a', 8)], { shortcut: 'projection', S: 1 }), conv('b', 8)]), ...head]);
    const back = decodeHash(encodeHash({ spec, train: defaultTrainConfig }));
    expect(back.ok && back.value.spec).toEqual(spec);
  });

  it('names what is wrong in a block, with its path', () => {
    const bad = (b: object) => parseNetworkSpec({ version: 1, input: { C: 1, H: 28, W: 28 }, layers: [b] });
    expect(bad({ ...newBlock('r', []), shortcut: 'wide' })).toEqual({ ok: false, error: 'layers[0].shortcut: expected one of identity, projection, got "wide"' });
    expect(bad({ ...newBlock('r', []), body: [{ id: 'a', kind: 'conv' }] })).toMatchObject({ ok: false, error: expect.stringContaining('layers[0].body[0].kind') });
    expect(bad({ ...newBlock('r', []), extra: 1 })).toMatchObject({ ok: false, error: expect.stringContaining('unknown field "extra"') });
  });
});
