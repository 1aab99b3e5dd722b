// The training loop has no GPU round trip inside it (issue 18 point 4), watched at the device: with
// every completion held back, 64 steps are all submitted (so the loop awaited none), in ≤ 16 submits
// and ≤ 16 writeBuffer calls; with every completion delayed by 100 ms (a browser polling completion)
// a tiny network still trains at ≥ 100 steps/s; and recording steps in groups with their values from a
// step table gives bit for bit the weights of one submit and one set of uniform writes per step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadSplit, type GpuSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import { Optimizer } from '../engine/optimizer';
import { Gpu } from '../gpu';
import { newLayer, newTrainConfig, type NetworkSpec, type TrainConfig } from '../model';
import { RecordingDevice } from '../testing/recording-device';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { Prng } from '../util/prng';
import { learningRateAt } from './schedule';
import { Trainer, type Progress } from './trainer';

let gpu: Gpu;
let rec: RecordingDevice;
let data: { train: GpuSplit; test: GpuSplit };

const until = async (what: () => boolean, ms: number) => {
  const t0 = performance.now();
  while (!what() && performance.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
  return what();
};

describe('the training loop waits for no GPU completion', () => {
  beforeAll(async () => {
    gpu = await Gpu.create();
    rec = new RecordingDevice(gpu.device);
    const ds = await loadDataset('mnist', { base: '/' });
    data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
  }, 120_000);
  afterAll(() => rec.restore());

  it('64 steps with every completion held back: all submitted, ≤ 16 submits, ≤ 16 writeBuffer calls, then the stats of all 64 arrive', async () => {
    const config = newTrainConfig({ batch: 16, epochs: 1, seed: 3, optimizer: { kind: 'adam', lr: 1e-3 } });
    const net = Network.create(gpu, tinyMnistConvNet, config.seed);
    const progress: Progress[] = [];
    const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => progress.push(p) }, 4096);
    await gpu.done();
    rec.reset();
    rec.hold();
    const run = trainer.run({ maxSteps: 64 });
    const allSubmitted = await until(() => trainer.step >= 64, 120_000);
    const during = { ...rec.counts };
    rec.release();
    const stop = await run;
    console.log(`64 steps: while held ${JSON.stringify(during)}; whole run ${JSON.stringify(rec.counts)}`);
    expect(allSubmitted, `the loop stalled at step ${trainer.step} waiting for a completion`).toBe(true);
    expect(during.resolved).toBe(0);
    expect(stop.kind).toBe('step-limit');
    expect(rec.counts.submits).toBeLessThanOrEqual(16);
    expect(rec.counts.writeBuffers).toBeLessThanOrEqual(16);
    expect(rec.counts.workDone).toBe(0);
    const steps = progress.flatMap((p) => p.steps);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    for (const s of steps) expect(Number.isFinite(s.loss)).toBe(true);
    trainer.dispose();
    net.dispose();
  }, 300_000);

  it('every completion 100 ms late: a tiny network still trains at ≥ 100 steps/s', async () => {
    const config = newTrainConfig({ batch: 8, epochs: 1, seed: 4, optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 }, schedule: { kind: 'constant' } });
    const net = Network.create(gpu, tinyMnistConvNet, config.seed);
    const progress: Progress[] = [];
    const trainer = await Trainer.create(gpu, net, data, config, { progress: (p) => progress.push(p) }, 8 * 400);
    // Warm up (pipelines, first buffers), then time 300 steps with every completion delayed.
    await trainer.run({ maxSteps: 20 });
    rec.delayMs = 100;
    try {
      const t0 = performance.now();
      const stop = await trainer.run({ maxSteps: 300 });
      const s = (performance.now() - t0) / 1000;
      const losses = progress.flatMap((p) => p.steps.map((x) => x.loss));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      console.log(`completions 100 ms late: 300 steps in ${s.toFixed(2)} s (${(300 / s).toFixed(0)} steps/s); mean loss of the first 20 steps ${mean(losses.slice(0, 20)).toFixed(3)}, of the last 50 ${mean(losses.slice(-50)).toFixed(3)}`);
      expect(stop.kind).toBe('step-limit');
      expect(300 / s).toBeGreaterThanOrEqual(100);
      expect(losses).toHaveLength(320);
      expect(mean(losses.slice(-50))).toBeLessThan(0.75 * mean(losses.slice(0, 20)));
    } finally {
      rec.delayMs = 0;
    }
    trainer.dispose();
    net.dispose();
  }, 300_000);

  it('steps recorded in groups from the step table give the same weights, bit for bit, as one submit and uniform writes per step', async () => {
    const spec: NetworkSpec = { ...tinyMnistConvNet, layers: [...tinyMnistConvNet.layers.slice(0, 2), { ...newLayer('dropout', 'd1'), rate: 0.25 }, ...tinyMnistConvNet.layers.slice(2)] };
    const config: TrainConfig = newTrainConfig({ batch: 16, epochs: 1, seed: 5, optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 0.01 }, schedule: { kind: 'cosine', warmupSteps: 10, minLr: 0 } });
    const subset = 16 * 40;
    const grouped = Network.create(gpu, spec, config.seed);
    const trainer = await Trainer.create(gpu, grouped, data, config, {}, subset);
    expect((await trainer.run({ maxSteps: 30 })).kind).toBe('step-limit');

    // The same 30 steps the way the loop ran before: every per-step value written, one submit per step.
    const single = Network.create(gpu, spec, config.seed);
    const indices = gpu.storage(subset * 4, 'order');
    const order = Uint32Array.from({ length: subset }, (_, i) => i);
    new Prng((config.seed * 1_000_003 + 0) >>> 0).shuffle(order);
    gpu.write(indices, order);
    const plan = await single.plan({ N: 16, train: true, input: { kind: 'gather', images: data.train.images, labels: data.train.labels, indices, imageBytes: data.train.imageBytes }, statsSlots: 256, seed: config.seed });
    const opt = await Optimizer.create(gpu, single.store, config.optimizer);
    for (let t = 0; t < 30; t++) {
      plan.prepareStep(t, t * 16, t, data.train.imageBytes);
      opt.prepareStep(t + 1, learningRateAt(t, trainer.totalSteps, config.optimizer.lr, config.schedule));
      gpu.run([...plan.stepParts(), opt.kernel], 'one-step');
    }
    const a = await gpu.readF32(grouped.store.params, grouped.store.layout.total);
    const b = await gpu.readF32(single.store.params, single.store.layout.total);
    const before = await Network.create(gpu, spec, config.seed).store.read(grouped.store.layout.slots[0]!);
    expect(Array.from(a.subarray(0, before.length))).not.toEqual(Array.from(before));
    expect(Array.from(a)).toEqual(Array.from(b));
    trainer.dispose();
    plan.dispose();
    opt.dispose();
    gpu.release(indices);
    grouped.dispose();
    single.dispose();
  }, 300_000);
});
