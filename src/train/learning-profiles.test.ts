// Learning on both kernel families, quickly: the tiny conv net (conv + fused ReLU and max-pool, dense)
// trained on 5,000 real MNIST images must really learn with the software kernels and with the hardware
// ones (workgroup-tiled implicit GEMMs, gradients read through the fused pool) forced on SwiftShader.
// trainer.test.ts holds the full proof (the reference CNN, 3 epochs, ≥ 96%), on the detected profile.
import { describe, expect, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import type { ProfileKind } from '../gpu';
import { newTrainConfig } from '../model';
import { PROFILES, testGpu } from '../testing/gpu';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { Trainer, type Progress } from './trainer';

describe.each(PROFILES)('learning MNIST (%s profile)', (profile: ProfileKind) => {
  it('the tiny conv net: one epoch of 5,000 images takes the loss from above 1.8 to below 0.8 and gives ≥ 80% test accuracy', async () => {
    const gpu = await testGpu(profile);
    const ds = await loadDataset('mnist', { base: '/' });
    const data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
    const config = newTrainConfig({ batch: 50, epochs: 1, seed: 2, optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 }, schedule: { kind: 'constant' } });
    const net = Network.create(gpu, tinyMnistConvNet, config.seed);
    const progress: Progress[] = [];
    const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => progress.push(p) }, 5000);
    const stop = await trainer.run();
    const result = await trainer.evaluate();
    const losses = progress.flatMap((p) => p.steps.map((s) => s.loss));
    console.log(`${profile} profile: tiny conv net, 100 steps of 50: loss ${losses[0]?.toFixed(3)} → ${losses.at(-1)?.toFixed(3)}, test accuracy ${result.accuracy.toFixed(4)}`);
    expect(stop.kind).toBe('finished');
    expect(trainer.step).toBe(100);
    expect(losses[0]!).toBeGreaterThan(1.8);
    expect(losses.slice(-10).reduce((a, b) => a + b, 0) / 10).toBeLessThan(0.8);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.8);
    trainer.dispose();
    net.dispose();
  }, 900_000);
});
