// Why: a build plans a training run (the training plan, the test evaluation, the optimizer) and a
// one-image plan for inspection, compiling every pipeline they need; on a CPU adapter that takes up to a
// minute, so the page says "pipelines compiled N of TOTAL". TOTAL is known before anything compiles:
// the same planning runs first against a stand-in device (gpu/fake-device.ts: it creates nothing, and
// takes milliseconds) with this device's adapter, limits and kernel profile, so it asks for exactly the
// pipelines the real build will; those not already in this device's cache are the ones to compile.
import type { GpuSplit } from '../data/gpu-dataset';
import { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import { Gpu, type PipelineCache } from '../gpu';
import { fakeDevice } from '../gpu/fake-device';
import type { NetworkSpec, TrainConfig } from '../model';
import { Trainer, type TrainerHooks } from '../train/trainer';
import type { BuildStage, WorkerEvent } from './protocol';

export type BuildProgress = Omit<Extract<WorkerEvent, { type: 'build-progress' }>, 'type'>;

export interface RunPlans {
  network: Network;
  trainer: Trainer;
  /** Batch of one, evaluation mode, unfused, with probabilities: what inspection reads. */
  inspectPlan: Plan;
}

type Data = { train: GpuSplit; test: GpuSplit };

/** The network with fresh weights from the config's seed, and every plan a built network keeps. */
export async function planRun(gpu: Gpu, spec: NetworkSpec, config: TrainConfig, data: Data, subset: number | undefined, hooks: TrainerHooks): Promise<RunPlans> {
  const network = Network.create(gpu, spec, config.seed, config.init ?? 'pytorch');
  let trainer: Trainer | undefined;
  try {
    trainer = await Trainer.create(gpu, network, data, config, hooks, subset);
    const inspectPlan = await network.plan({ N: 1, train: false, input: { kind: 'direct' }, fuse: false, probs: true });
    return { network, trainer, inspectPlan };
  } catch (e) {
    trainer?.dispose();
    network.dispose();
    throw e;
  }
}

/** A Gpu over a fresh stand-in device that plans as `gpu` does (same adapter, limits and profile). */
export function standInFor(gpu: Gpu): Gpu {
  const { device } = fakeDevice([...gpu.adapter.features], { ...gpu.limits });
  return new Gpu({ device, adapter: gpu.adapter, limits: gpu.limits, lost: new Promise(() => {}) }, gpu.profile);
}

/** The keys (see pipelineKey) of the distinct pipelines planRun will compile on `gpu` now. */
export async function pipelinesToCompile(gpu: Gpu, spec: NetworkSpec, config: TrainConfig, data: Data, subset: number | undefined): Promise<Set<string>> {
  const dry = standInFor(gpu);
  // The datasets' stand-ins: buffers of the same sizes on the stand-in device (counts and strides kept).
  const split = (s: GpuSplit): GpuSplit => ({ ...s, images: dry.storage(s.images.size, 'images'), labels: dry.storage(s.labels.size, 'labels') });
  await planRun(dry, spec, config, { train: split(data.train), test: split(data.test) }, subset, {});
  return new Set(dry.pipelines.keys().filter((k) => !gpu.pipelines.has(k)));
}

/**
 * Follows one build for the page: its stage, and the pipelines compiled so far of those it was counted
 * to need (`expect`). Without a count (it failed) it says only how many were compiled, never a total.
 */
export class BuildReporter {
  readonly #cache: PipelineCache;
  readonly #post?: (p: BuildProgress) => void;
  readonly #t0 = performance.now();
  readonly #created0: number;
  #todo?: Set<string>;
  #compiled = 0;
  #stage: BuildStage = 'data';

  constructor(cache: PipelineCache, post?: (p: BuildProgress) => void) {
    this.#cache = cache;
    this.#post = post;
    this.#created0 = cache.stats.created;
  }

  /** Counts the pipelines still to compile, then reports each one compiled from now on. */
  expect(todo: Set<string> | undefined): void {
    this.#todo = todo;
    this.#cache.onCompiled = (name, key) => {
      if (this.#todo?.has(key)) this.#compiled++;
      this.report(this.#stage, name);
    };
  }

  report(stage: BuildStage, kernel = ''): void {
    this.#stage = stage;
    const todo = this.#todo;
    const compiled = todo ? this.#compiled : this.#cache.stats.created - this.#created0;
    this.#post?.({ stage, compiled, ...(todo && { total: todo.size }), kernel, elapsedMs: performance.now() - this.#t0 });
  }

  /** The build ended (built or failed): stop listening to the cache. */
  done(): void {
    this.#cache.onCompiled = undefined;
  }
}
