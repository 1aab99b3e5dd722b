// The gradient view's maps are the engine's backward pass for one image; they must equal the float64
// reference backward (softmax cross-entropy → dense → average pool → tanh → conv), layer by layer, and
// the filter gradients likewise. Batch norm's running statistics must come out of it untouched.
import { describe, expect, it } from 'vitest';
import { newLayer, type NetworkSpec } from '../model';
import { Network } from '../engine/network';
import { activationGradRef, activationRef } from '../reference/activation';
import { conv2dGradWeightRef, conv2dRef } from '../reference/conv2d';
import { matmulRef } from '../reference/matmul';
import { avgPoolGradRef, avgPoolRef } from '../reference/pool';
import { softmaxCrossEntropyRef } from '../reference/softmax-cross-entropy';
import { compareClose } from '../testing/allclose';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { layerGradients } from './inspect-gradients';

const spec: NetworkSpec = {
  version: 1,
  input: { C: 2, H: 6, W: 6 },
  layers: [
    { ...newLayer('conv2d', 'c1'), K: 3, F: 3, S: 1, P: 1, activation: 'tanh' },
    { ...newLayer('avg-pool', 'ap'), F: 2, S: 2, P: 0 },
    { ...newLayer('flatten', 'fl') },
    { ...newLayer('dense', 'd'), units: 10 },
  ],
};

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) => {
  const r = compareClose(actual, expected, { atol: 1e-5, rtol: 1e-3, label });
  expect(r.ok, r.message).toBe(true);
};

describe('layerGradients', () => {
  it('each layer’s output gradient and the filter gradients equal the reference backward', async () => {
    const gpu = await testGpu();
    const net = Network.create(gpu, spec, 5);
    const plan = await net.plan({ N: 1, train: true, input: { kind: 'direct' }, fuse: false });
    const r = new Prng(8);
    gpu.write(net.store.params, r.floats(net.store.layout.total, -0.5, 0.5));
    const x = r.floats(2 * 6 * 6, -1, 1);
    const params = await gpu.readF32(net.store.params, net.store.layout.total);
    const slot = (id: string, role: string) => {
      const s = net.slotsOf(id).find((t) => t.role === role)!;
      return params.subarray(s.offset, s.offset + s.count);
    };
    const report = await layerGradients(gpu, net, plan, x, 6, true);

    // The reference, forward then backward, in float64.
    const conv = { N: 1, C: 2, H: 6, W: 6, K: 3, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
    const z1 = conv2dRef(x, slot('c1', 'weight'), conv, slot('c1', 'bias'));
    const a1 = activationRef('tanh', z1);
    const pool = { N: 1, C: 3, H: 6, W: 6, FH: 2, FW: 2, S: 2, P: 0, OH: 3, OW: 3 };
    const p = avgPoolRef(a1, pool);
    const logits = matmulRef(p, slot('d', 'weight'), { M: 1, N: 10, K: 27, transB: true }, slot('d', 'bias'));
    const sce = softmaxCrossEntropyRef(logits, [6], 1, 10);
    const dp = matmulRef(sce.dlogits, slot('d', 'weight'), { M: 1, N: 27, K: 10 });
    const da1 = avgPoolGradRef(dp, pool);
    const dz1 = activationGradRef('tanh', z1, da1);
    const dW1 = conv2dGradWeightRef(x, dz1, conv).dw;
    const dWd = matmulRef(sce.dlogits, p, { M: 10, N: 27, K: 1, transA: true });

    const by = new Map(report.layers.map((l) => [l.layerId, l]));
    expect([...by.keys()]).toEqual(['c1', 'ap', 'fl', 'd']);
    expect(report.loss).toBeCloseTo(sce.lossSum, 4);
    expect(report.target).toBe(6);
    close(by.get('d')!.grad, sce.dlogits, 'd: dL/dlogits');
    close(by.get('fl')!.grad, dp, 'fl: dL/d(flat)');
    close(by.get('ap')!.grad, dp, 'ap: dL/d(pooled)');
    close(by.get('c1')!.grad, da1, 'c1: dL/d(tanh output)');
    close(by.get('c1')!.weightGrad!, dW1, 'c1: dL/dW');
    close(by.get('d')!.weightGrad!, dWd, 'd: dL/dW');
    expect(by.get('c1')!.weightShape).toEqual([3, 2, 3, 3]);
    const c1 = by.get('c1')!;
    expect(c1.activation.max).toBeCloseTo(Math.max(...a1), 5);
    expect(c1.gradient.meanAbs).toBeCloseTo(da1.reduce((s, v) => s + Math.abs(v), 0) / da1.length, 6);
    plan.dispose();
    net.dispose();
  });

  it('leaves batch norm’s running statistics as they were, and counts dead ReLUs', async () => {
    const gpu = await testGpu();
    const bnNet: NetworkSpec = {
      version: 1,
      input: { C: 1, H: 5, W: 5 },
      layers: [
        { ...newLayer('conv2d', 'c'), K: 4, F: 3, S: 1, P: 1, activation: undefined },
        { ...newLayer('batch-norm', 'bn') },
        { ...newLayer('relu', 'r') },
        { ...newLayer('dense', 'd'), units: 10 },
      ],
    };
    const net = Network.create(gpu, bnNet, 2);
    const plan = await net.plan({ N: 1, train: true, input: { kind: 'direct' }, fuse: false });
    const before = await gpu.readF32(net.store.state, net.store.layout.stateTotal);
    const report = await layerGradients(gpu, net, plan, new Prng(1).floats(25, -1, 1), 3, true);
    const after = await gpu.readF32(net.store.state, net.store.layout.stateTotal);
    expect(Array.from(after)).toEqual(Array.from(before));
    const relu = report.layers.find((l) => l.layerId === 'r')!;
    // Batch statistics over one image's 25 pixels: about half of each normalised channel is negative.
    expect(relu.deadRelu!).toBeGreaterThan(0.2);
    expect(relu.deadRelu!).toBeLessThan(0.8);
    expect(report.layers.every((l) => l.grad.every(Number.isFinite))).toBe(true);
    plan.dispose();
    net.dispose();
  });
});
