// Depthwise-separable convolution really learns: a small MobileNet-style net (conv, then a depthwise
// 3×3 and a pointwise 1×1) trained on 5,000 real MNIST images with the grouped kernels. The same
// subset-learning bar as learning-profiles.test.ts's tiny conv net.
import { describe, expect, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import { newLayer, newTrainConfig, type NetworkSpec } from '../model';
import { testGpu } from '../testing/gpu';
import { Trainer, type Progress } from './trainer';

const separableNet: NetworkSpec = {
  version: 1,
  input: { C: 1, H: 28, W: 28 },
  layers: [
    { ...newLayer('conv2d', 'c1'), K: 8, F: 4, S: 2, P: 1, activation: 'relu' },
    { ...newLayer('conv2d', 'dw'), K: 8, F: 3, S: 1, P: 1, groups: 8, activation: 'relu' },
    { ...newLayer('conv2d', 'pw'), K: 16, F: 1, S: 1, P: 0, activation: 'relu' },
    { ...newLayer('max-pool', 'p1'), F: 2, S: 2, P: 0 },
    { ...newLayer('dense', 'fc'), units: 10 },
  ],
};

describe('learning MNIST with a depthwise-separable block', () => {
  it('one epoch of 5,000 images takes the loss from above 1.8 to below 0.8 and gives ≥ 80% test accuracy', async () => {
    const gpu = await testGpu();
    const ds = await loadDataset('mnist', { base: '/' });
    const data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
    const config = newTrainConfig({ batch: 50, epochs: 1, seed: 2, optimizer: { kind: 'adam', lr: 3e-3 }, schedule: { kind: 'constant' } });
    const net = Network.create(gpu, separableNet, config.seed);
    const progress: Progress[] = [];
    const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => progress.push(p) }, 5000);
    const stop = await trainer.run();
    const result = await trainer.evaluate();
    const losses = progress.flatMap((p) => p.steps.map((s) => s.loss));
    console.log(`depthwise-separable net, 100 steps of 50: loss ${losses[0]?.toFixed(3)} → ${losses.at(-1)?.toFixed(3)}, test accuracy ${result.accuracy.toFixed(4)}`);
    expect(stop.kind).toBe('finished');
    expect(trainer.step).toBe(100);
    expect(losses[0]!).toBeGreaterThan(1.8);
    expect(losses.slice(-10).reduce((a, b) => a + b, 0) / 10).toBeLessThan(0.8);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.8);
    trainer.dispose();
    net.dispose();
  }, 900_000);
});
