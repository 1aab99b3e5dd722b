import { describe, expect, it } from 'vitest';
import { analyzeNetwork, validateNetwork, type LayerAnalysis } from './shapes';
import type { Conv2dLayer, InputSpec, LayerSpec, NetworkSpec } from './spec';
import { getPreset } from './presets';

function conv(id: string, K: number, F: Conv2dLayer['F'], extra: Partial<Conv2dLayer> = {}): Conv2dLayer {
  return { id, kind: 'conv2d', K, F, S: 1, P: 0, dilation: 1, bias: true, ...extra };
}
function spec(input: InputSpec, layers: LayerSpec[]): NetworkSpec {
  return { version: 1, input, layers };
}
function layersOf(input: InputSpec, layers: LayerSpec[]): LayerAnalysis[] {
  return analyzeNetwork(spec(input, layers)).layers;
}
const CIFAR = { C: 3, H: 32, W: 32 };

describe('CS231n worked examples', () => {
  it('32×32×3 with one 5×5×3 filter gives 28×28×1; four give 28×28×4; ten 5×5×4 then give 24×24×10', () => {
    expect(layersOf(CIFAR, [conv('a', 1, 5)])[0]!.outShape).toEqual([1, 28, 28]);
    const [a, b] = layersOf(CIFAR, [conv('a', 4, 5), conv('b', 10, 5)]);
    expect(a!.outShape).toEqual([4, 28, 28]);
    expect(a!.arithmetic.outSize).toBe('(32 − 5)/1 + 1 = 28');
    expect(b!.inShape).toEqual([4, 28, 28]);
    expect(b!.outShape).toEqual([10, 24, 24]);
    expect(b!.params).toBe(10 * (5 * 5 * 4 + 1));
  });

  it('7×7 input, 3×3 filter: stride 1 → 5×5, stride 2 → 3×3, stride 3 doesn\'t fit', () => {
    const in7 = { C: 1, H: 7, W: 7 };
    expect(layersOf(in7, [conv('c', 1, 3)])[0]!.outShape).toEqual([1, 5, 5]);
    expect(layersOf(in7, [conv('c', 1, 3, { S: 2 })])[0]!.outShape).toEqual([1, 3, 3]);
    const a = analyzeNetwork(spec(in7, [conv('c', 1, 3, { S: 3 })]));
    expect(a.ok).toBe(false);
    const e = a.error!;
    expect(e.layerId).toBe('c');
    expect(e.layerIndex).toBe(0);
    expect(e.reason).toBe("7×7 input, 3×3 filter, stride 3: (7 − 3)/3 + 1 = 2.33, doesn't fit");
    expect(e.suggestion).toBe('padding P = 1 makes it fit: (7 − 3 + 2·1)/3 + 1 = 3');
    expect(a.layers[0]!.outShape).toBeNull();
    expect(a.layers[0]!.error).toBe(e);
  });

  it('32×32×3 with ten 5×5 filters, S 1, P 2 → 32×32×10 and 760 params; the dense equivalent costs 31 million', () => {
    const [l] = layersOf(CIFAR, [conv('c', 10, 5, { P: 2 })]);
    expect(l!.outShape).toEqual([10, 32, 32]);
    expect(l!.params).toBe(760);
    expect(l!.arithmetic.params).toBe('10·(5·5·3 + 1) = 760');
    expect(l!.arithmetic.outSize).toBe('(32 − 5 + 2·2)/1 + 1 = 32');
    expect(l!.denseEquivalentWeights).toBe(3072 * 10240);
    expect(l!.denseEquivalentWeights).toBe(31_457_280);
    expect(l!.denseEquivalentParams).toBe(31_467_520);
  });

  it('six 1×1 filters on 32×32×3 → 32×32×6 with 24 params', () => {
    const [l] = layersOf(CIFAR, [conv('c', 6, 1)]);
    expect(l!.outShape).toEqual([6, 32, 32]);
    expect(l!.params).toBe(24);
    expect(l!.arithmetic.params).toBe('6·(1·1·3 + 1) = 24');
  });
});

describe('reference CNN', () => {
  const a = analyzeNetwork(getPreset('reference-cnn').spec);
  const byId = (id: string) => a.layers.find((l) => l.id === id)!;

  it('is valid and ends in 10 class scores', () => {
    expect(a.errors).toEqual([]);
    expect(a.ok).toBe(true);
    expect(a.output).toEqual([10]);
  });

  it('has 320 + 18,496 + 31,370 = 50,186 parameters', () => {
    expect(byId('conv1').params).toBe(320);
    expect(byId('conv2').params).toBe(18_496);
    expect(byId('fc').params).toBe(31_370);
    expect(a.totals.params).toBe(50_186);
    expect(byId('conv1').arithmetic.params).toBe('32·(3·3·1 + 1) = 320');
    expect(byId('conv2').arithmetic.params).toBe('64·(3·3·32 + 1) = 18,496');
    expect(byId('fc').arithmetic.params).toBe('10·(64·7·7 + 1) = 31,370');
  });

  it('shapes and arithmetic read like the lecture', () => {
    expect(a.layers.map((l) => l.outShape)).toEqual([
      [32, 28, 28], [32, 28, 28], [32, 14, 14], [64, 14, 14], [64, 14, 14], [64, 7, 7], [10],
    ]);
    expect(byId('conv1').arithmetic.outSize).toBe('(28 − 3 + 2·1)/1 + 1 = 28');
    expect(byId('pool1').arithmetic.outSize).toBe('(28 − 2)/2 + 1 = 14');
    expect(byId('fc').impliedFlatten).toBe(true);
    expect(byId('fc').arithmetic.outSize).toBe('flatten 64×7×7 → 3,136, then 3,136 → 10');
    expect(byId('conv1').geometry).toEqual({ H: 28, W: 28, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1, OH: 28, OW: 28 });
  });

  it('counts multiply-adds per sample', () => {
    expect(byId('conv1').macs).toBe(28 * 28 * 32 * 9);
    expect(byId('conv1').macs).toBe(225_792);
    expect(byId('conv1').arithmetic.macs).toBe('28·28·32·(3·3·1) = 225,792');
    expect(byId('conv2').macs).toBe(14 * 14 * 64 * 3 * 3 * 32);
    expect(byId('pool1').macs).toBe(0);
    expect(byId('fc').macs).toBe(3136 * 10);
    expect(a.totals.macs).toBe(225_792 + 3_612_672 + 31_360);
  });

  it('counts f32 activation bytes per sample', () => {
    expect(byId('conv1').activationBytes).toBe(32 * 28 * 28 * 4);
    expect(byId('fc').activationBytes).toBe(40);
    expect(a.totals.activationBytes).toBe(4 * (2 * 32 * 28 * 28 + 32 * 14 * 14 + 2 * 64 * 14 * 14 + 64 * 7 * 7 + 10));
  });

  it('grows the receptive field: 3, 4, 8, 10, then the whole image', () => {
    expect(a.layers.map((l) => [l.receptiveField!.size[0], l.receptiveField!.jump])).toEqual([
      [3, 1], [3, 1], [4, 2], [8, 2], [8, 2], [10, 4], [34, 4],
    ]);
    expect(byId('pool2').receptiveField!.coversInput).toBe(false);
    expect(byId('fc').receptiveField!.coversInput).toBe(true);
  });
});

describe('receptive field', () => {
  it('two stacked 3×3 convs see 5×5, three see 7×7', () => {
    const ls = layersOf({ C: 1, H: 28, W: 28 }, [conv('a', 1, 3, { P: 1 }), conv('b', 1, 3, { P: 1 }), conv('c', 1, 3, { P: 1 })]);
    expect(ls.map((l) => l.receptiveField!.size)).toEqual([[3, 3], [5, 5], [7, 7]]);
  });
  it('dilation 2 makes a 3×3 filter cover 5×5', () => {
    const [l] = layersOf({ C: 1, H: 28, W: 28 }, [conv('a', 4, 3, { dilation: 2, P: 2 })]);
    expect(l!.receptiveField!.size).toEqual([5, 5]);
    expect(l!.outShape).toEqual([4, 28, 28]);
    expect(l!.arithmetic.outSize).toBe("F' = (3 − 1)·2 + 1 = 5; (28 − 5 + 2·2)/1 + 1 = 28");
    expect(l!.params).toBe(4 * (9 + 1));
  });
  it('stride multiplies the jump; rectangular filters grow each axis', () => {
    const [a, b] = layersOf({ C: 1, H: 28, W: 28 }, [conv('a', 1, 2, { S: 2 }), conv('b', 1, [3, 1], { P: 0 })]);
    expect(a!.receptiveField).toEqual({ size: [2, 2], jump: 2, coversInput: false });
    expect(b!.receptiveField).toEqual({ size: [6, 2], jump: 2, coversInput: false });
    expect(b!.outShape).toEqual([1, 12, 14]);
  });
});

describe("'same' and 'valid' padding", () => {
  const in28 = { C: 1, H: 28, W: 28 };
  it("'same' at stride 1 pads (F − 1)/2", () => {
    const [l] = layersOf(in28, [conv('a', 8, 5, { P: 'same' })]);
    expect(l!.outShape).toEqual([8, 28, 28]);
    expect(l!.geometry!.PH).toBe(2);
    expect(l!.arithmetic.outSize).toBe("'same': P = 2; (28 − 5 + 2·2)/1 + 1 = 28");
  });
  it("'same' with an even F is an error suggesting an odd F", () => {
    const e = analyzeNetwork(spec(in28, [conv('a', 8, 4, { P: 'same' })])).error!;
    expect(e.field).toBe('P');
    expect(e.reason).toContain("can't be split evenly");
    expect(e.suggestion).toBe("use an odd F such as F = 3: 'same' then pads P = 1 on each side");
  });
  it("'same' at stride 2 gives ceil(W/S) when the padding is even", () => {
    const [l] = layersOf(in28, [conv('a', 8, 4, { P: 'same', S: 2 })]);
    expect(l!.outShape).toEqual([8, 14, 14]);
    expect(l!.geometry!.PH).toBe(1);
    const e = analyzeNetwork(spec(in28, [conv('a', 8, 3, { P: 'same', S: 2 })])).error!;
    expect(e.reason).toContain('ceil(28/2) = 14');
    expect(e.suggestion).toContain('F = 4');
  });
  it("'valid' is P = 0", () => {
    const [l] = layersOf(in28, [conv('a', 8, 5, { P: 'valid' })]);
    expect(l!.outShape).toEqual([8, 24, 24]);
  });
});

describe('other layers', () => {
  const in28 = { C: 1, H: 28, W: 28 };
  it('batch-norm has 2·C trainable params and 2·C running statistics', () => {
    const [, bn] = layersOf(in28, [conv('a', 32, 3, { P: 1 }), { id: 'bn', kind: 'batch-norm', momentum: 0.1, epsilon: 1e-5 }]);
    expect(bn!.params).toBe(64);
    expect(bn!.stateCount).toBe(64);
    expect(bn!.outShape).toEqual([32, 28, 28]);
  });
  it('global-avg-pool gives a flat vector of C; a 10-channel conv + GAP closes the network', () => {
    const a = analyzeNetwork(spec(in28, [conv('a', 10, 3), { id: 'gap', kind: 'global-avg-pool' }]));
    expect(a.ok).toBe(true);
    expect(a.output).toEqual([10]);
    expect(a.layers[1]!.macs).toBe(10 * 26 * 26);
  });
  it('flatten, dense and the MLP parameter count', () => {
    const a = analyzeNetwork(getPreset('mlp').spec);
    expect(a.layers[0]!.outShape).toEqual([784]);
    expect(a.layers[0]!.arithmetic.outSize).toBe('1·28·28 = 784');
    expect(a.layers[1]!.arithmetic.params).toBe('128·(784 + 1) = 100,480');
    expect(a.totals.params).toBe(100_480 + 1_290);
    expect(a.layers[1]!.impliedFlatten).toBeUndefined();
  });
  it('avg-pool counts one add per window element; dense without bias', () => {
    const [p, d] = layersOf(in28, [
      { id: 'p', kind: 'avg-pool', F: 2, S: 2, P: 0 },
      { id: 'd', kind: 'dense', units: 10, bias: false },
    ]);
    expect(p!.macs).toBe(14 * 14 * 4);
    expect(d!.params).toBe(1960);
    expect(d!.arithmetic.params).toBe('10·1·14·14 = 1,960');
  });
  it('activations and dropout keep the shape', () => {
    const ls = layersOf(in28, [
      { id: 'r', kind: 'relu' },
      { id: 'l', kind: 'leaky-relu', alpha: 0.1 },
      { id: 's', kind: 'sigmoid' },
      { id: 't', kind: 'tanh' },
      { id: 'd', kind: 'dropout', rate: 0.5 },
    ]);
    for (const l of ls) {
      expect(l.outShape).toEqual([1, 28, 28]);
      expect(l.params).toBe(0);
    }
  });
});

describe('errors', () => {
  const in28 = { C: 1, H: 28, W: 28 };
  const fc = { id: 'fc', kind: 'dense', units: 10, bias: true } as const;
  const err = (layers: LayerSpec[], input: InputSpec = in28) => analyzeNetwork(spec(input, layers)).error;

  it('a filter larger than the padded input', () => {
    const e = err([conv('a', 4, 5), conv('b', 4, 5), conv('big', 4, 25), fc])!;
    expect(e.layerId).toBe('big');
    expect(e.reason).toContain('larger than the 20×20 input');
  });
  it('the layers after a broken one have no shapes but keep their rows', () => {
    const a = analyzeNetwork(spec(in28, [conv('a', 4, 3, { S: 2 }), { id: 'r', kind: 'relu' }, fc]));
    expect(a.layers).toHaveLength(3);
    expect(a.layers[1]!.inShape).toBeNull();
    expect(a.layers[1]!.outShape).toBeNull();
    expect(a.errors).toHaveLength(1);
    expect(a.output).toBeNull();
    expect(a.error!.reason).toBe("28×28 input, 3×3 filter, stride 2: (28 − 3)/2 + 1 = 13.5, doesn't fit");
    expect(a.error!.suggestion).toBe('stride S = 1 makes it fit: (28 − 3)/1 + 1 = 26');
  });
  it('bad numbers: zero or negative filters, NaN, Infinity, fractions, negative padding', () => {
    expect(err([conv('a', 0, 3), fc])!.field).toBe('K');
    expect(err([conv('a', -2, 3), fc])!.field).toBe('K');
    expect(err([conv('a', 2.5, 3), fc])!.reason).toBe('K (number of filters) must be a whole number from 1 to 4,096, got 2.5');
    expect(err([conv('a', 4, Number.NaN), fc])!.reason).toContain('got NaN');
    expect(err([conv('a', 4, 3, { S: Infinity }), fc])!.reason).toContain('got Infinity');
    expect(err([conv('a', 4, 3, { P: -1 }), fc])!.field).toBe('P');
    expect(err([conv('a', 4, 3, { dilation: 0 }), fc])!.field).toBe('dilation');
    expect(err([{ id: 'd', kind: 'dense', units: 0, bias: true }])!.field).toBe('units');
  });
  it('refuses P > F/2 like PyTorch', () => {
    const e = err([conv('a', 4, 3, { P: 2 }), fc])!;
    expect(e.field).toBe('P');
    expect(e.reason).toContain('more than half');
    expect(e.suggestion).toBe('use P ≤ 1');
    expect(err([{ id: 'p', kind: 'max-pool', F: 2, S: 2, P: 2 }, fc])!.field).toBe('P');
  });
  it('design bounds: K and units ≤ 4096, F ≤ 31, input ≤ 512, C ≤ 64', () => {
    expect(err([conv('a', 5000, 3), fc])!.field).toBe('K');
    expect(err([conv('a', 4, 33), fc])!.field).toBe('F');
    expect(err([{ id: 'd', kind: 'dense', units: 5000, bias: true }, fc])!.field).toBe('units');
    expect(err([fc], { C: 1, H: 600, W: 28 })!.field).toBe('H');
    expect(err([fc], { C: 65, H: 28, W: 28 })!.field).toBe('C');
    expect(err([fc], { C: 1, H: 0, W: 28 })!.layerIndex).toBe(-1);
    expect(err([fc], { C: 1, H: 28, W: Number.NaN })!.field).toBe('W');
  });
  it('dropout rate in [0, 1), alpha not NaN, batch-norm epsilon > 0', () => {
    expect(err([{ id: 'd', kind: 'dropout', rate: 1 }, fc])!.field).toBe('rate');
    expect(err([{ id: 'd', kind: 'dropout', rate: -0.1 }, fc])!.field).toBe('rate');
    expect(err([{ id: 'd', kind: 'dropout', rate: 0 }, fc])).toBeUndefined();
    expect(err([{ id: 'l', kind: 'leaky-relu', alpha: Number.NaN }, fc])!.field).toBe('alpha');
    expect(err([{ id: 'b', kind: 'batch-norm', momentum: 0.1, epsilon: 0 }, fc])!.field).toBe('epsilon');
  });
  it('an empty network', () => {
    const a = analyzeNetwork(spec(in28, []));
    expect(a.ok).toBe(false);
    expect(a.error!.reason).toContain('empty network');
  });
  it('missing loss/output', () => {
    const e = err([conv('a', 4, 3)])!;
    expect(e.reason).toBe('missing loss/output: the last layer must give 10 class scores');
    expect(e.layerId).toBe('a');
    expect(e.suggestion).toContain('dense layer of 10 units');
    expect(err([{ id: 'd', kind: 'dense', units: 12, bias: true }])!.suggestion).toContain('set units to 10');
  });
  it('a conv after the network has gone flat', () => {
    const e = err([{ id: 'f', kind: 'flatten' }, conv('a', 4, 3), fc])!;
    expect(e.layerId).toBe('a');
    expect(e.reason).toContain('flat vector of 784');
  });
  it('duplicate ids', () => {
    const e = err([{ id: 'x', kind: 'relu' }, { id: 'x', kind: 'relu' }, fc])!;
    expect(e.field).toBe('id');
    expect(e.layerIndex).toBe(1);
  });
  it('validateNetwork lists every problem', () => {
    const es = validateNetwork(spec(in28, [conv('a', 0, 3), { id: 'd', kind: 'dropout', rate: 2 }, fc]));
    expect(es.map((e) => e.field)).toEqual(['K', 'rate']);
  });
});
