import { describe, expect, it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { layerGpuTimes } from './layer-times';
import { Network } from './network';
import { Optimizer } from './optimizer';

describe('per-layer GPU time', () => {
  it('times every piece of a training step, by timestamp queries where offered and by lone submits', async () => {
    const gpu = await testGpu();
    const net = Network.create(gpu, tinyMnistConvNet, 1);
    const plan = await net.plan({ N: 8, train: true, input: { kind: 'direct' }, seed: 1 });
    const optimizer = await Optimizer.create(gpu, net.store, { kind: 'adam', lr: 1e-3 });
    optimizer.prepareStep(1, 1e-3);
    const methods = gpu.profile.timestamps ? (['timestamps', 'submit'] as const) : (['submit'] as const);
    for (const method of methods) {
      const t = await layerGpuTimes(gpu, plan, optimizer.kernel, 2, method);
      expect(t.method).toBe(method);
      // The fused conv + ReLU + pool node answers for c1; the dense layer; the loss; the optimizer.
      expect(t.layers.map((l) => l.layerId)).toEqual(['c1', 'fc', 'loss', 'optimizer']);
      for (const l of t.layers) {
        expect(Number.isFinite(l.forwardMs) && l.forwardMs >= 0 && Number.isFinite(l.backwardMs) && l.backwardMs >= 0, JSON.stringify(l)).toBe(true);
      }
      expect(t.layers.find((l) => l.layerId === 'c1')!.forwardMs + t.layers.find((l) => l.layerId === 'c1')!.backwardMs).toBeGreaterThan(0);
    }
    optimizer.dispose();
    plan.dispose();
    net.dispose();
  });
});
