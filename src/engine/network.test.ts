// Whole-network proof: the engine's gradients of the mean loss equal central finite differences of
// the loss computed by the same engine, on tiny nets that use every kind of layer.
import { describe, expect, it } from 'vitest';
import { newLayer, type LayerSpec, type NetworkSpec } from '../model';
import { PROFILES, testGpu } from '../testing/gpu';
import type { ProfileKind } from '../gpu';
import { Network } from './network';
import { networkGradientCheck } from '../testing/network-gradient-check';

function spec(input: NetworkSpec['input'], layers: LayerSpec[]): NetworkSpec {
  return { version: 1, input, layers };
}

const convNet = spec({ C: 1, H: 7, W: 7 }, [
  { ...newLayer('conv2d', 'c1'), K: 3, F: 3, S: 1, P: 1, activation: 'tanh' },
  { ...newLayer('avg-pool', 'ap'), F: 3, S: 1, P: 1 },
  { ...newLayer('batch-norm', 'bn') },
  { ...newLayer('leaky-relu', 'lr'), alpha: 0.1 },
  { ...newLayer('conv2d', 'c2'), K: 4, F: 3, S: 2, P: 1, bias: false },
  { ...newLayer('relu', 'r2') },
  { ...newLayer('max-pool', 'mp'), F: 3, S: 1, P: 1 },
  { ...newLayer('flatten', 'fl') },
  { ...newLayer('dense', 'd1'), units: 5, activation: 'sigmoid' },
  { ...newLayer('dense', 'd2'), units: 10 },
]);

const headNet = spec({ C: 2, H: 5, W: 5 }, [
  { ...newLayer('conv2d', 'c1'), K: 10, F: 1, S: 1, P: 0, activation: 'tanh' },
  { ...newLayer('global-avg-pool', 'gap') },
]);

// Both convs take their 2×2 max-pool into the GEMM epilogue (with and without a ReLU before it).
const pooledNet = spec({ C: 1, H: 8, W: 8 }, [
  { ...newLayer('conv2d', 'c1'), K: 3, F: 3, S: 1, P: 1, activation: 'relu' },
  { ...newLayer('max-pool', 'mp1'), F: 2, S: 2, P: 0 },
  { ...newLayer('conv2d', 'c2'), K: 5, F: 3, S: 1, P: 1 },
  { ...newLayer('max-pool', 'mp2'), F: 2, S: 2, P: 0 },
  { ...newLayer('flatten', 'fl') },
  { ...newLayer('dense', 'd'), units: 10 },
]);

// Depthwise-separable: a depthwise conv (ReLU, not fused with the pool after it) and a pointwise 1×1,
// and a grouped conv with two filters per group at stride 2.
const separableNet = spec({ C: 2, H: 6, W: 6 }, [
  { ...newLayer('conv2d', 'c1'), K: 4, F: 3, S: 1, P: 1, activation: 'tanh' },
  { ...newLayer('conv2d', 'dw'), K: 4, F: 3, S: 1, P: 1, groups: 4, activation: 'relu' },
  { ...newLayer('max-pool', 'mp'), F: 2, S: 2, P: 0 },
  { ...newLayer('conv2d', 'pw'), K: 6, F: 1, S: 1, P: 0, activation: 'tanh' },
  { ...newLayer('conv2d', 'g2'), K: 6, F: 3, S: 2, P: 1, groups: 3, bias: false },
  { ...newLayer('dense', 'd'), units: 10 },
]);

const mlp = spec({ C: 1, H: 4, W: 4 }, [{ ...newLayer('dense', 'd1'), units: 16, activation: 'relu' }, { ...newLayer('dense', 'd2'), units: 10 }]);

// Both kernel families (the hardware one forced on SwiftShader: workgroup-tiled GEMMs whose gradient
// passes read through the fused pool and ReLU).
describe.each(PROFILES)('whole-network gradients vs finite differences of the loss (%s profile)', (profile: ProfileKind) => {
  it('conv (tanh, stride 2, no bias) + avg-pool + batch norm + leaky ReLU + fused ReLU + overlapping max-pool + dense', async () => {
    const { checked } = await networkGradientCheck(profile, convNet, 3, 11);
    expect(checked).toBeGreaterThan(20);
  });
  it('1×1 conv + global average pool head, batch 1', async () => {
    await networkGradientCheck(profile, headNet, 1, 5);
  });
  it('conv + ReLU + max-pool and conv + max-pool, each pool fused into its conv', async () => {
    // (A seed whose probes stay off the max-pool's and ReLU's kinks: finite differences across a kink
    // disagree with any exact gradient, fused or not.)
    const SEED = 3;
    const gpu = await testGpu(profile);
    const fused = Network.create(gpu, pooledNet, 1).nodes(true);
    expect(fused.map((n) => `${n.op}${n.op === 'conv2d' && n.pool ? '+pool' : ''}`)).toEqual(['conv2d+pool', 'conv2d+pool', 'flatten', 'dense']);
    // The same check on the unfused plan (separate pool nodes) must hold for the same draw.
    const { checked } = await networkGradientCheck(profile, pooledNet, 2, SEED, true);
    await networkGradientCheck(profile, pooledNet, 2, SEED, false);
    expect(checked).toBeGreaterThan(10);
  });
  it('depthwise-separable: depthwise conv + ReLU + max-pool, pointwise 1×1, grouped conv at stride 2', async () => {
    const gpu = await testGpu(profile);
    const fused = Network.create(gpu, separableNet, 1).nodes(true);
    expect(fused.map((n) => `${n.op}${n.op === 'conv2d' && n.pool ? '+pool' : ''}`)).toEqual(['conv2d', 'activation', 'conv2d', 'max-pool', 'conv2d', 'activation', 'conv2d', 'dense']);
    const { checked } = await networkGradientCheck(profile, separableNet, 2, 11);
    expect(checked).toBeGreaterThan(20);
  });

  it('MLP with fused ReLU', async () => {
    await networkGradientCheck(profile, mlp, 4, 3);
  });
});

describe('planning', () => {
  it('allocates once and frees everything it allocated', async () => {
    const gpu = await testGpu();
    const before = gpu.pool.stats.bytesLive;
    const net = Network.create(gpu, convNet, 1);
    const plan = await net.plan({ N: 8, train: true, input: { kind: 'direct' } });
    expect(gpu.pool.stats.bytesLive).toBeGreaterThan(before);
    plan.dispose();
    net.dispose();
    expect(gpu.pool.stats.bytesLive).toBe(before);
  });
  it('refuses a network that does not fit, naming the layer', async () => {
    const gpu = await testGpu();
    const bad = spec({ C: 1, H: 7, W: 7 }, [{ ...newLayer('conv2d', 'c1'), K: 2, F: 3, S: 3, P: 0 }, { ...newLayer('dense', 'd'), units: 10 }]);
    expect(() => Network.create(gpu, bad, 1)).toThrowError(/c1: .*doesn't fit/);
  });
});
