// The build's "pipelines compiled N of TOTAL": the count made on the stand-in device before a build is
// exactly the set of pipelines the real build then compiles, on both kernel families, on a fresh
// device and on one whose cache already holds an earlier network's pipelines (only the new ones count).
import { describe, expect, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { Gpu, type ProfileKind } from '../gpu';
import { getPreset, newBlock, newLayer, newTrainConfig, type NetworkSpec, type OptimizerConfig, type PresetId } from '../model';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { Prng } from '../util/prng';
import { pipelinesToCompile, planRun, standInFor } from './build-run';

/** 28×28 grey images of noise: planning needs the sizes, not the pictures. */
function noise(count: number, seed: number) {
  const rng = new Prng(seed);
  const images = Uint8Array.from({ length: count * 28 * 28 }, () => Math.floor(rng.uniform(0, 256)));
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { count, rows: 28, cols: 28, images, labels, classes: 10 };
}

/**
 * A small residual net: a stride-2 conv, a block (conv, batch-norm; identity shortcut; ReLU after the
 * sum), global average pooling, dense. Few distinct pipelines (SwiftShader takes seconds for each).
 */
const residualNet: NetworkSpec = {
  version: 1,
  input: { C: 1, H: 28, W: 28 },
  layers: [
    { ...newLayer('conv2d', 'c1'), K: 4, F: 4, S: 2, P: 1, activation: 'relu' },
    newBlock('r', [{ ...newLayer('conv2d', 'a'), K: 4, F: 3, S: 1, P: 1, bias: false }, newLayer('batch-norm', 'bn')]),
    newLayer('global-avg-pool', 'gap'),
    { ...newLayer('dense', 'fc'), units: 10 },
  ],
};

type Design = PresetId | 'residual' | 'tiny';

/** A preset's design and optimizer, or one of the test nets with Adam. */
function design(id: Design): { spec: NetworkSpec; optimizer: OptimizerConfig } {
  if (id === 'tiny') return { spec: tinyMnistConvNet, optimizer: { kind: 'adam', lr: 1e-3 } };
  if (id === 'residual') return { spec: residualNet, optimizer: { kind: 'adam', lr: 1e-3 } };
  const p = getPreset(id);
  return { spec: p.spec, optimizer: p.train.optimizer };
}

/**
 * Each profile builds a network, then the tiny net (which shares some of its pipelines), then the
 * first again, on a fresh device.
 */
const CASES: [ProfileKind, Design][] = [
  ['software', 'residual'],
  ['hardware', 'lenet-5'],
];

describe.each(CASES)('pipelines to compile, %s profile', (profile, preset) => {
  it(`${preset}, the tiny net, ${preset} again: the count before each build is exactly what it compiles`, async () => {
    const gpu = await Gpu.create(undefined, profile);
    try {
      const data = { train: uploadSplit(gpu, noise(64, 1), 'train'), test: uploadSplit(gpu, noise(40, 2), 'test') };
      const built = [];
      const counted: number[] = [];
      for (const id of [preset, 'tiny', preset] as const) {
        const { spec, optimizer } = design(id);
        const config = newTrainConfig({ optimizer, batch: 8, seed: 1 });
        const before = new Set(gpu.pipelines.keys());
        const created = gpu.pipelines.stats.created;
        const t0 = performance.now();
        const todo = await pipelinesToCompile(gpu, spec, config, data, undefined);
        const countMs = performance.now() - t0;
        const plans = await planRun(gpu, spec, config, data, undefined, {});
        const buildMs = performance.now() - t0 - countMs;
        built.push(plans);
        counted.push(todo.size);
        const compiled = gpu.pipelines.keys().filter((k) => !before.has(k));
        console.log(`${profile} ${id}: ${todo.size} pipelines counted in ${countMs.toFixed(0)} ms, ${compiled.length} compiled in ${(buildMs / 1000).toFixed(1)} s`);
        expect(new Set(compiled)).toEqual(todo);
        expect(gpu.pipelines.stats.created - created).toBe(todo.size);
      }
      // Each network needs pipelines of its own; built again, the first needs nothing new.
      expect(counted[0]).toBeGreaterThan(0);
      expect(counted[1]).toBeGreaterThan(0);
      expect(counted[2]).toBe(0);
      for (const b of built) {
        b.trainer.dispose();
        b.inspectPlan.dispose();
        b.network.dispose();
      }
    } finally {
      gpu.destroy();
    }
  }, 600_000);
});

describe('the stand-in device', () => {
  it('plans as its device does: same profile and limits, buffers that pass as GPUBuffers, nothing on the GPU', async () => {
    const gpu = await Gpu.create(undefined, 'hardware');
    try {
      const dry = standInFor(gpu);
      expect(dry.profile).toEqual(gpu.profile);
      expect(dry.limits).toEqual(gpu.limits);
      const b = dry.storage(1000, 'x');
      expect(b instanceof GPUBuffer).toBe(true);
      expect(b.size).toBe(1024);
      expect(b.label).toBe('x');
      dry.release(b);
      expect(dry.storage(1000, 'again').label).toBe('again');
      expect(gpu.pool.stats.buffersLive).toBe(0);
    } finally {
      gpu.destroy();
    }
  });
});
