// A run that diverges pauses, says at which step, restores the weights from before the blow-up, and can
// go on after the learning rate is lowered.
import { describe, expect, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import { newTrainConfig } from '../model';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { testGpu } from '../testing/gpu';
import { Trainer } from './trainer';

const small = tinyMnistConvNet;

describe('divergence guard', () => {
  it('a learning rate of 10 pauses with the step named, restores the weights, and training resumes at a lower rate', async () => {
    const gpu = await testGpu();
    const ds = await loadDataset('mnist', { base: '/' });
    const data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
    const config = newTrainConfig({ batch: 50, epochs: 1, seed: 3, optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 }, schedule: { kind: 'constant' } });
    const net = Network.create(gpu, small, config.seed);
    const trainer = await Trainer.create(gpu, net, data, config, {}, 5000);
    expect((await trainer.run({ maxSteps: 5 })).kind).toBe('step-limit');
    const good = await net.store.snapshot(trainer.step);

    await trainer.setConfig({ ...config, optimizer: { ...config.optimizer, lr: 10 } });
    const stop = await trainer.run({ maxSteps: 60 });
    expect(stop.kind).toBe('diverged');
    if (stop.kind !== 'diverged') return;
    expect(stop.message).toMatch(new RegExp(`at step ${stop.step}\\b`));
    expect(stop.message).toMatch(/Lower the learning rate/);
    const restored = await net.store.snapshot(trainer.step);
    expect(restored.params.every(Number.isFinite)).toBe(true);
    // The restored weights are a checkpoint from before the blow-up: at or after the good ones.
    expect(trainer.step).toBeGreaterThanOrEqual(good.step);
    expect(trainer.step).toBeLessThan(stop.step);

    await trainer.setConfig({ ...config, optimizer: { ...config.optimizer, lr: 0.01 } });
    net.store.clearOptimizerState();
    expect((await trainer.run({ maxSteps: 5 })).kind).toBe('step-limit');
    const after = await net.store.snapshot(trainer.step);
    expect(after.params.every(Number.isFinite)).toBe(true);
    trainer.dispose();
    net.dispose();
  }, 300_000);
});
