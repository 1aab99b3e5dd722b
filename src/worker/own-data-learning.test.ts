// Learning on a user's dataset, end to end below the UI: colour PNGs of three shapes (random colours,
// so only the shape tells the class) → the import (decode, resize, split, per-channel statistics) →
// the GPU (per-channel normalising gather) → a small CNN ending in 3 class scores → really learned.
import { describe, expect, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { Network } from '../engine/network';
import { fitSpecToData, newTrainConfig, type NetworkSpec } from '../model';
import { testGpu } from '../testing/gpu';
import { Trainer } from '../train/trainer';
import { importDataset } from './dataset-import';
import { shapeFiles } from './shape-blobs';

describe('training on a generated colour dataset of 3 classes', () => {
  it('learns the shapes well above chance (1/3), with a 3×3 confusion matrix', async () => {
    const gpu = await testGpu();
    const { dataset } = await importDataset(await shapeFiles(60, 11), { size: 16, channels: 3, testFraction: 0.25, seed: 1 });
    const d = dataset.descriptor;
    const norm = { mean: d.mean, std: d.std };
    const data = { train: uploadSplit(gpu, dataset.train, 'own:train', norm), test: uploadSplit(gpu, dataset.test, 'own:test', norm) };
    const design: NetworkSpec = {
      version: 1,
      input: { C: 1, H: 28, W: 28 },
      layers: [
        { id: 'c1', kind: 'conv2d', K: 8, F: 3, S: 1, P: 1, dilation: 1, bias: true, activation: 'relu' },
        { id: 'p1', kind: 'max-pool', F: 2, S: 2, P: 0 },
        { id: 'c2', kind: 'conv2d', K: 16, F: 3, S: 1, P: 1, dilation: 1, bias: true, activation: 'relu' },
        { id: 'p2', kind: 'max-pool', F: 2, S: 2, P: 0 },
        { id: 'out', kind: 'dense', units: 10, bias: true },
      ],
    };
    const spec = fitSpecToData(design, d);
    expect(spec.classes).toBe(3);
    const config = newTrainConfig({ batch: 15, epochs: 12, seed: 2, optimizer: { kind: 'adam', lr: 3e-3 } });
    const net = Network.create(gpu, spec, config.seed);
    const trainer = await Trainer.create(gpu, net, data, config);
    const before = await trainer.evaluate();
    const stop = await trainer.run();
    const after = await trainer.evaluate();
    console.log(`own colour shapes (135 train, 45 test, 3×16×16): test accuracy ${before.accuracy.toFixed(3)} → ${after.accuracy.toFixed(3)}, loss ${before.loss.toFixed(3)} → ${after.loss.toFixed(3)}`);
    expect(stop.kind).toBe('finished');
    expect(after.count).toBe(45);
    expect(after.confusion).toHaveLength(9);
    expect(after.confusion.reduce((a, b) => a + b, 0)).toBe(45);
    expect(after.probabilities).toHaveLength(45 * 3);
    expect(after.loss).toBeLessThan(before.loss * 0.6);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.75);
    trainer.dispose();
    net.dispose();
  }, 600_000);
});
