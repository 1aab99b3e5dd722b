// Initialisation: PyTorch's default (U(±1/√fan_in) for conv and linear weights and biases) unless the
// training settings choose He or Glorot; the first loss of an untrained 10-class network is then
// close to ln 10 ≈ 2.30, the course's first sanity check.
import { describe, expect, it } from 'vitest';
import { getPreset, type InitScheme } from '../model';
import { decodeStats, STATS_SLOT_BYTES } from '../kernels/softmax-cross-entropy';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { Network } from './network';

async function params(scheme?: InitScheme) {
  const gpu = await testGpu();
  const net = Network.create(gpu, getPreset('reference-cnn').spec, 7, scheme);
  const all = await gpu.readF32(net.store.params, net.store.layout.total);
  const slots = new Map(net.store.layout.slots.map((s) => [`${s.layerId}.${s.role}`, all.slice(s.offset, s.offset + s.count)]));
  return { gpu, net, slots };
}

const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const std = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);

describe('weight initialisation', () => {
  it("defaults to PyTorch's: weights and biases uniform in ±1/√fan_in", async () => {
    const { net, slots } = await params();
    // conv2: fan_in = 32·3·3 = 288; fc: fan_in = 64·7·7 = 3136.
    for (const [key, fanIn] of [['conv1.weight', 9], ['conv1.bias', 9], ['conv2.weight', 288], ['conv2.bias', 288], ['fc.weight', 3136], ['fc.bias', 3136]] as const) {
      const v = slots.get(key)!;
      const bound = 1 / Math.sqrt(fanIn);
      expect(maxAbs(v), key).toBeLessThanOrEqual(bound);
      // Uniform on ±b has standard deviation b/√3.
      if (v.length > 1000) expect(std(v) / (bound / Math.sqrt(3)), key).toBeCloseTo(1, 1);
      else expect(maxAbs(v), key).toBeGreaterThan(bound * 0.5);
    }
    net.dispose();
  });

  it('He: normal with std √(2/fan_in), zero biases; Glorot: uniform ±√(6/(fan_in + fan_out)), zero biases', async () => {
    const he = await params('he');
    expect(std(he.slots.get('conv2.weight')!) / Math.sqrt(2 / 288)).toBeCloseTo(1, 1);
    expect(maxAbs(he.slots.get('conv2.bias')!)).toBe(0);
    he.net.dispose();
    const gl = await params('glorot');
    const limit = Math.sqrt(6 / (288 + 64 * 9));
    expect(maxAbs(gl.slots.get('conv2.weight')!)).toBeLessThanOrEqual(limit);
    expect(std(gl.slots.get('conv2.weight')!) / (limit / Math.sqrt(3))).toBeCloseTo(1, 1);
    expect(maxAbs(gl.slots.get('fc.bias')!)).toBe(0);
    gl.net.dispose();
  });

  it('the first loss of the untrained reference CNN is close to ln 10', async () => {
    const { gpu, net } = await params();
    const N = 20;
    const plan = await net.plan({ N, train: false, input: { kind: 'direct' } });
    // MNIST-like inputs: mostly background ((0 − mean)/std ≈ −0.42) with strokes.
    const r = new Prng(3);
    gpu.write(plan.input.buffer, Float32Array.from({ length: plan.input.size }, () => (r.uniform(0, 1) < 0.2 ? 2.8 : -0.42)));
    gpu.write(plan.labels, Uint32Array.from({ length: N }, () => r.int(0, 9)));
    gpu.run([...plan.forwardParts(), plan.loss!]);
    const [st] = decodeStats(await gpu.read(plan.stats, 0, STATS_SLOT_BYTES), 1);
    expect(Math.abs(st!.lossSum / st!.rows - Math.log(10))).toBeLessThan(0.1);
    plan.dispose();
    net.dispose();
  });
});
