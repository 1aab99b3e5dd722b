// Why: the full learning proof of the training loop, shared by the regular tier (the detected profile:
// SwiftShader's software kernels) and the slow tier (the hardware kernels forced on SwiftShader): the
// reference CNN, 3 epochs of the first 10,000 real MNIST training images, then all 10,000 test images.
import { expect } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import type { ProfileKind } from '../gpu';
import { getPreset, newTrainConfig } from '../model';
import { Trainer, type Progress } from '../train/trainer';
import { testGpu } from './gpu';

/** Trains the reference CNN (Adam 1e-3, batch 100) for `epochs` of 10,000 images and expects at least
 *  `minAccuracy` on the 10,000 test images. */
export async function expectReferenceCnnLearns(profile?: ProfileKind, epochs = 3, minAccuracy = 0.96): Promise<void> {
  const gpu = await testGpu(profile);
  const ds = await loadDataset('mnist', { base: '/' });
  const data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
  const preset = getPreset('reference-cnn');
  const config = newTrainConfig({ ...preset.train, batch: 100, epochs, seed: 1 });
  const net = Network.create(gpu, preset.spec, config.seed);
  const progress: Progress[] = [];
  const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => progress.push(p) }, 10_000);
  const t0 = performance.now();
  const stop = await trainer.run();
  const secs = (performance.now() - t0) / 1000;
  const result = await trainer.evaluate();
  console.log(`reference CNN (${gpu.profile.kind} profile), ${epochs} epochs × 10,000 images: test accuracy ${result.accuracy.toFixed(4)}, loss ${result.loss.toFixed(4)}; training ${secs.toFixed(0)} s (${((epochs * 10_000) / secs) | 0} samples/s), evaluation ${(result.ms / 1000).toFixed(0)} s`);
  expect(stop.kind).toBe('finished');
  expect(trainer.step).toBe(epochs * 100);
  const losses = progress.flatMap((p) => p.steps.map((s) => s.loss));
  expect(losses[0]!).toBeGreaterThan(1.5);
  expect(losses.slice(-20).reduce((a, b) => a + b, 0) / 20).toBeLessThan(0.25);
  expect(result.count).toBe(10_000);
  expect(result.accuracy).toBeGreaterThanOrEqual(minAccuracy);
  // The confusion matrix holds every test image once, its trace the correct ones.
  expect(result.confusion.reduce((a, b) => a + b, 0)).toBe(10_000);
  const trace = Array.from({ length: 10 }, (_, i) => result.confusion[i * 10 + i]!).reduce((a, b) => a + b, 0);
  expect(trace / 10_000).toBeCloseTo(result.accuracy, 6);
  trainer.dispose();
  net.dispose();
}
