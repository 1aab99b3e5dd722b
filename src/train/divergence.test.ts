// A run that diverges pauses, names the step, goes back to the state from before the trouble began (not
// one from inside the blow-up), and trains on once the learning rate is lowered. Both ways a learner
// gets there (issue 17): a trained network whose learning rate is raised to 10, and a fresh run at 10.
// Real training of the plain MLP (fc1 without activation, SGD momentum 0.9) on the first 5,000 images.
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadSplit, type GpuSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import { getPreset, newTrainConfig, type NetworkSpec, type TrainConfig } from '../model';
import type { Gpu } from '../gpu';
import { testGpu } from '../testing/gpu';
import { Trainer, type StopReason, type StepStats } from './trainer';

const SUBSET = 5000;
let gpu: Gpu;
let data: { train: GpuSplit; test: GpuSplit };

function linearMlp(): { spec: NetworkSpec; config: TrainConfig } {
  const preset = getPreset('mlp');
  // fc1's activation set to none: a linear layer (the page's "none" leaves the field out).
  const spec: NetworkSpec = { ...preset.spec, layers: preset.spec.layers.map((l) => (l.id === 'fc1' && l.kind === 'dense' ? { id: l.id, kind: l.kind, units: l.units, bias: l.bias } : l)) };
  const config = newTrainConfig({ ...preset.train, batch: 100, epochs: 20, seed: 1, optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0 } });
  return { spec, config };
}

const withLr = (c: TrainConfig, lr: number): TrainConfig => ({ ...c, optimizer: { ...c.optimizer, lr } });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Trains at `config`'s rate until it diverges (at most `limit` steps), recording what the guard kept. */
async function runUntilDiverged(trainer: Trainer, steps: StepStats[], limit = 200): Promise<Extract<StopReason, { kind: 'diverged' }>> {
  const stop = await trainer.run({ maxSteps: limit });
  expect(stop.kind).toBe('diverged');
  if (stop.kind !== 'diverged') throw new Error('did not diverge');
  steps.push(...stop.steps);
  return stop;
}

/**
 * Follows the page's advice (the suggested, lower rate) until 20 steps train; each rollback on the way
 * must land on a healthy state.
 */
async function resume(trainer: Trainer, config: TrainConfig, first: Extract<StopReason, { kind: 'diverged' }>, healthyTestLoss: number): Promise<void> {
  let lr = first.suggestedLr;
  for (let attempt = 0; attempt < 3; attempt++) {
    await trainer.setConfig(withLr(config, lr));
    const from = trainer.step;
    const stop = await trainer.run({ maxSteps: 20 });
    if (stop.kind === 'step-limit') {
      expect(trainer.step).toBe(from + 20);
      return;
    }
    expect(stop.kind).toBe('diverged');
    if (stop.kind !== 'diverged') break;
    expect((await trainer.evaluate()).loss).toBeLessThan(healthyTestLoss * 1.1);
    console.log(`resuming at lr ${lr} diverged again: ${stop.message}`);
    lr = stop.suggestedLr;
  }
  throw new Error('training never resumed at the suggested rates');
}

describe('divergence guard (issue 17)', () => {
  beforeAll(async () => {
    gpu = await testGpu();
    const ds = await loadDataset('mnist', { base: '/' });
    data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
  }, 120_000);

  it('trained, then lr 10: goes back to the last healthy state, keeps no diverged state, and resumes at a lower rate', async () => {
    const { spec, config } = linearMlp();
    const net = Network.create(gpu, spec, config.seed);
    const seen: StepStats[] = [];
    const keptSteps: (number | undefined)[] = [];
    const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => (seen.push(...p.steps), keptSteps.push(trainer.healthyStep)) }, SUBSET);
    expect((await trainer.run({ maxSteps: 40 })).kind).toBe('step-limit');
    const healthy = await trainer.evaluate();
    const healthyTrainLoss = mean(seen.slice(-10).map((s) => s.loss));
    expect(healthy.accuracy).toBeGreaterThan(0.7);
    expect(trainer.healthyStep).toBe(40);

    await trainer.setConfig(withLr(config, 10));
    keptSteps.length = 0;
    const diverged: StepStats[] = [];
    const stop = await runUntilDiverged(trainer, diverged);
    console.log(`lr 10 after 40 steps: ${stop.message} (suggested lr ${stop.suggestedLr})`);
    expect(stop.step).toBeGreaterThan(40);
    expect(trainer.step).toBe(stop.restoredStep);
    expect(stop.restoredStep).toBeGreaterThanOrEqual(40);
    expect(stop.restoredStep).toBeLessThan(stop.step);
    expect(stop.message).toMatch(new RegExp(`diverged at step ${stop.step}\\b`));
    expect(stop.message).toMatch(new RegExp(`went back to step ${stop.restoredStep} \\(loss [\\d.]+\\)`));
    expect(stop.message).toMatch(/layer fc1|layer fc2/);
    // The restored network is the healthy one: test loss within 10% of the last healthy evaluation.
    const restored = await trainer.evaluate();
    expect(Math.abs(restored.loss - healthy.loss) / healthy.loss).toBeLessThan(0.1);
    expect(restored.accuracy).toBeGreaterThan(healthy.accuracy - 0.05);
    // What the page keeps for recovery never came from the diverging stretch.
    for (const k of keptSteps) expect(k).toBeLessThan(stop.step);
    expect(trainer.healthyStep).toBe(stop.restoredStep);
    const copy = (await trainer.healthySnapshot())!;
    expect(copy.step).toBe(stop.restoredStep);
    expect(copy.params.every(Number.isFinite)).toBe(true);
    // The advice is the last healthy rate, not a tenth of 10 (which diverges again at once).
    expect(stop.suggestedLr).toBeLessThanOrEqual(0.05);

    seen.length = 0;
    await resume(trainer, config, stop, healthy.loss);
    const losses = seen.map((s) => s.loss);
    expect(losses.length).toBeGreaterThanOrEqual(20);
    for (const l of losses.slice(-20)) expect(l).toBeLessThan(10 * healthyTrainLoss);
    expect((await trainer.evaluate()).loss).toBeLessThan(healthy.loss * 1.5);
    trainer.dispose();
    net.dispose();
  }, 600_000);

  it('a fresh run at lr 10: goes back to the untrained state (not a blown-up one) and trains at the suggested rate', async () => {
    const { spec, config } = linearMlp();
    const net = Network.create(gpu, spec, config.seed);
    const seen: StepStats[] = [];
    const trainer = await Trainer.create(gpu, net, data, withLr(config, 10), { progress: (p) => seen.push(...p.steps) }, SUBSET);
    const untrained = await trainer.evaluate();
    const stop = await runUntilDiverged(trainer, []);
    console.log(`fresh run at lr 10: ${stop.message} (suggested lr ${stop.suggestedLr})`);
    const restored = await trainer.evaluate();
    expect(Math.abs(restored.loss - untrained.loss) / untrained.loss).toBeLessThan(0.1);
    expect(stop.message).toMatch(new RegExp(`went back to step ${stop.restoredStep} \\(loss [\\d.]+\\)`));
    expect(trainer.healthyStep).toBe(stop.restoredStep);

    seen.length = 0;
    await resume(trainer, config, stop, untrained.loss);
    const losses = seen.map((s) => s.loss).slice(-20);
    expect(losses.length).toBe(20);
    for (const l of losses) expect(l).toBeLessThan(10 * untrained.loss);
    trainer.dispose();
    net.dispose();
  }, 600_000);
});
