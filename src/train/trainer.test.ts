// The training loop is proven by really learning: the reference CNN on real MNIST.
import { describe, expect, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import { getPreset, newTrainConfig } from '../model';
import { testGpu } from '../testing/gpu';
import { Trainer, type Progress } from './trainer';

describe('training the reference CNN on MNIST', () => {
  it('learns: ≥ 96% test accuracy after 3 epochs on the first 10,000 training images (Adam 1e-3, batch 100)', async () => {
    const gpu = await testGpu();
    const ds = await loadDataset('mnist', { base: '/' });
    const data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
    const preset = getPreset('reference-cnn');
    const config = newTrainConfig({ ...preset.train, batch: 100, epochs: 3, seed: 1 });
    const net = Network.create(gpu, preset.spec, config.seed);
    const progress: Progress[] = [];
    const epochs: number[] = [];
    const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => progress.push(p), epochEnd: (_, r) => epochs.push(r.accuracy) }, 10_000);
    const t0 = performance.now();
    const stop = await trainer.run();
    const secs = (performance.now() - t0) / 1000;
    console.log(`reference CNN, 3 epochs × 10,000 images: test accuracy per epoch ${epochs.map((a) => a.toFixed(4)).join(', ')}; ${secs.toFixed(0)} s, ${((30_000 / secs) | 0)} samples/s`);
    expect(stop.kind).toBe('finished');
    expect(trainer.step).toBe(300);
    const losses = progress.flatMap((p) => p.steps.map((s) => s.loss));
    expect(losses[0]!).toBeGreaterThan(1.5);
    expect(losses.slice(-20).reduce((a, b) => a + b, 0) / 20).toBeLessThan(0.25);
    expect(epochs).toHaveLength(3);
    expect(epochs[2]!).toBeGreaterThanOrEqual(0.96);
    trainer.dispose();
    net.dispose();
  }, 900_000);
});
