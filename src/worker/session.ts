// Why: the worker's state: the device, the datasets on the GPU, the planned network and its trainer.
// Each command of the protocol is one method here; the training loop runs between commands and yields
// to them at every step, so pause, inspect and set-config are answered while training runs.
import { uploadSplit, releaseSplit, type GpuSplit } from '../data/gpu-dataset';
import type { DatasetCache, LoadedDataset } from './dataset-cache';
import { Gpu } from '../gpu';
import type { Snapshot } from '../engine/param-store';
import { fromSafetensors, gatherTensors, scatterTensors, toSafetensors } from '../export';
import { classesOf, dataMismatch, type ConvplayDocument, type DatasetDescriptor, type NetworkSpec, type TrainConfig } from '../model';
import type { EvalResult, Progress, Trainer } from '../train/trainer';
import { ExplainCommands, type Inspectable } from './explain-commands';
import type { DatasetName, MemoryReport, PauseReason, WorkerEvent } from './protocol';
import { BuildReporter, pipelinesToCompile, planRun, type BuildProgress } from './build-run';

type Post = (event: WorkerEvent, transfer?: Transferable[]) => void;

interface Built extends Inspectable {
  subset?: number;
  trainer: Trainer;
  data: { train: GpuSplit; test: GpuSplit };
  /** What the network trains on: its shape, classes and normalisation. */
  descriptor: DatasetDescriptor;
}

export class Session {
  #gpu: Gpu;
  #post: Post;
  #datasets: DatasetCache;
  #resident = new Map<DatasetName, { train: GpuSplit; test: GpuSplit; descriptor: DatasetDescriptor }>();
  #built?: Built;
  #running = false;
  #stopRequested = false;
  #loop?: Promise<void>;
  /** The last state known to be good (kept at build, epoch ends and pauses; never from a diverging
   *  stretch: it is the divergence guard's newest healthy state), for device-loss recovery. */
  #lastGood?: Snapshot;
  #recovering?: Promise<void>;
  /** The inspection commands (inspect, explain-cell, gradients, batch-norm-modes, weights). */
  readonly explain: ExplainCommands;

  private constructor(gpu: Gpu, post: Post, datasets: DatasetCache) {
    this.#gpu = gpu;
    this.#post = post;
    this.#datasets = datasets;
    this.explain = new ExplainCommands(() => this.#gpu, () => this.#need(), datasets);
    this.#watch(gpu);
  }

  /** Acquires the GPU (throws WebGpuUnavailableError with advice when there is none). */
  static async create(post: Post, datasets: DatasetCache): Promise<Session> {
    return new Session(await Gpu.create(), post, datasets);
  }

  get gpu(): Gpu {
    return this.#gpu;
  }

  #watch(gpu: Gpu): void {
    gpu.onLost((info) => {
      if (gpu !== this.#gpu) return;
      this.#post({ type: 'device-lost', reason: info.reason, message: info.message });
      this.#recovering = this.#recover();
    });
  }

  /** A lost device takes every buffer with it: acquire a new one, re-plan, restore the last good state. */
  async #recover(): Promise<void> {
    this.#stopRequested = true;
    await this.#loop?.catch(() => undefined);
    const built = this.#built;
    this.#built = undefined;
    this.#resident.clear();
    let gpu: Gpu | undefined;
    for (let attempt = 0; attempt < 3 && !gpu; attempt++) {
      try {
        gpu = await Gpu.create();
      } catch (e) {
        if (attempt === 2) {
          this.#post({ type: 'error', kind: 'device-lost', message: `The GPU was lost and no new device could be acquired: ${e instanceof Error ? e.message : String(e)}. Reload the page.` });
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    this.#gpu = gpu!;
    this.#watch(this.#gpu);
    if (!built) {
      this.#post({ type: 'recovered', step: 0, message: 'The GPU was lost and a new device acquired.' });
      return;
    }
    // Taken before build(), which records the fresh network as its own good state.
    const good = this.#lastGood;
    await this.build(built.spec, built.config, built.subset);
    if (good) this.#built!.trainer.restore(good);
    this.#lastGood = good;
    this.#post({ type: 'paused', reason: 'device-lost', step: good?.step ?? 0, message: `The GPU device was lost; training resumed from the state saved at step ${good?.step ?? 0}. Press Train to continue.` });
    this.#post({ type: 'recovered', step: good?.step ?? 0, message: `A new GPU device was acquired, the network re-planned and its weights and optimizer state from step ${good?.step ?? 0} restored.` });
  }

  /** Waits for a device-loss recovery in progress (commands arriving meanwhile run after it). */
  async settled(): Promise<void> {
    await this.#recovering;
  }

  async #keepGoodState(): Promise<void> {
    const b = this.#built;
    if (!b || this.#gpu.isLost) return;
    this.#lastGood = (await b.trainer.healthySnapshot()) ?? (await b.network.store.snapshot(b.trainer.step));
  }

  dataset(name: DatasetName): Promise<LoadedDataset> {
    return this.#datasets.get(name);
  }

  async #residentData(name: DatasetName): Promise<{ train: GpuSplit; test: GpuSplit; descriptor: DatasetDescriptor }> {
    let r = this.#resident.get(name);
    if (!r) {
      const d = await this.dataset(name);
      const norm = { mean: d.descriptor.mean, std: d.descriptor.std };
      r = { train: uploadSplit(this.#gpu, d.train, `${name}:train`, norm), test: uploadSplit(this.#gpu, d.test, `${name}:test`, norm), descriptor: d.descriptor };
      this.#resident.set(name, r);
    }
    return r;
  }

  /** The user replaced or deleted a dataset: a network trained on it and its GPU copy go. */
  async forgetDataset(name: DatasetName): Promise<void> {
    await this.pause();
    if (this.#built?.config.dataset === name) {
      this.#disposeBuilt();
      this.#lastGood = undefined;
    }
    const r = this.#resident.get(name);
    if (r) {
      releaseSplit(this.#gpu, r.train);
      releaseSplit(this.#gpu, r.test);
      this.#resident.delete(name);
    }
  }

  memory(): MemoryReport {
    const s = this.#gpu.pool.stats;
    return { bytesLive: s.bytesLive, bytesPooled: s.bytesPooled, peakBytesLive: s.peakBytesLive };
  }

  /** Plans the network for the config; replaces (and frees) any earlier one. `onProgress` hears the
   *  stage and the pipelines compiled of those counted to need compiling (see build-run.ts). */
  async build(spec: NetworkSpec, config: TrainConfig, subset?: number, onProgress?: (p: BuildProgress) => void): Promise<{ params: number; stepsPerEpoch: number; totalSteps: number }> {
    await this.pause();
    const progress = new BuildReporter(this.#gpu.pipelines, onProgress);
    progress.report('data');
    const data = await this.#residentData(config.dataset);
    const mismatch = dataMismatch(spec, data.descriptor);
    if (mismatch) throw new Error(`The design does not fit the data: ${mismatch}. Use "Fit the design to the data" (or change the input and the last layer).`);
    this.#disposeBuilt();
    try {
      if (onProgress) {
        // Only a count: where the stand-in cannot plan, the real build says why, and the page shows no total.
        progress.expect(await pipelinesToCompile(this.#gpu, spec, config, data, subset).catch(() => undefined));
      }
      progress.report('planning');
      const { network, trainer, inspectPlan } = await planRun(this.#gpu, spec, config, data, subset, this.#hooks());
      progress.report('finishing');
      this.#built = { spec, config, subset, network, trainer, inspectPlan, data: { train: data.train, test: data.test }, descriptor: data.descriptor };
      await this.#keepGoodState();
      return { params: network.analysis.totals.params, stepsPerEpoch: trainer.stepsPerEpoch, totalSteps: trainer.totalSteps };
    } finally {
      progress.done();
    }
  }

  #hooks() {
    return {
      progress: (p: Progress) =>
        this.#post({ type: 'progress', step: p.step, epoch: p.epoch, stepInEpoch: p.stepInEpoch, stepsPerEpoch: p.stepsPerEpoch, totalSteps: p.totalSteps, lr: p.lr, points: p.steps, samplesPerSecond: p.samplesPerSecond, msPerStep: p.msPerStep, memory: this.memory() }),
      evalProgress: (done: number, total: number, elapsedMs: number) => this.#post({ type: 'eval-progress', done, total, elapsedMs }),
      epochEnd: (epoch: number, r: EvalResult) => {
        void this.#keepGoodState();
        this.#post({ type: 'epoch-end', epoch, step: this.#built?.trainer.step ?? 0, testLoss: r.loss, testAccuracy: r.accuracy, confusion: r.confusion, evalMs: r.ms, predictions: r.predictions }, [r.confusion.buffer, r.predictions.buffer]);
      },
    };
  }

  #need(): Built {
    if (!this.#built) throw new Error('no network is built yet: send "build" first');
    return this.#built;
  }

  /** Starts training in the background (returns at once); events report progress and the pause. */
  train(maxSteps?: number, reason: PauseReason = 'user'): void {
    const b = this.#need();
    if (this.#running) return;
    this.#running = true;
    this.#stopRequested = false;
    this.#loop = (async () => {
      try {
        const stop = await b.trainer.run({ shouldStop: () => this.#stopRequested, maxSteps });
        const step = b.trainer.step;
        await this.#keepGoodState();
        switch (stop.kind) {
          case 'diverged': {
            // The step reported is where training now stands (the restored state); the message names the step that broke.
            const rollback = { brokeAt: stop.step, restoredStep: stop.restoredStep, ...(stop.restoredLoss !== undefined && { restoredLoss: stop.restoredLoss }), suggestedLr: stop.suggestedLr, points: stop.steps };
            this.#post({ type: 'paused', reason: 'diverged', step, message: stop.message, rollback });
            break;
          }
          case 'finished':
            this.#post({ type: 'paused', reason: 'finished', step, message: `Finished ${b.trainer.config.epochs} epoch(s).` });
            break;
          case 'step-limit':
            this.#post({ type: 'paused', reason, step, message: `Paused after step ${step}.` });
            break;
          case 'stopped':
            this.#post({ type: 'paused', reason: 'user', step, message: `Paused at step ${step}.` });
            break;
          default:
            throw new Error(`unknown stop ${(stop satisfies never as { kind: string }).kind}`);
        }
      } catch (e) {
        // A lost device fails the loop's GPU calls; recovery reports that, not this.
        if (!this.#gpu.isLost && this.#gpu === b.network.store.gpu) {
          this.#post({ type: 'error', kind: e instanceof Error ? e.name : 'Error', message: `Training stopped: ${e instanceof Error ? e.message : String(e)}` });
        }
      } finally {
        this.#running = false;
      }
    })();
  }

  /** Asks the loop to stop after the current step and waits for it. */
  async pause(): Promise<void> {
    this.#stopRequested = true;
    await this.#loop;
  }

  async step(count = 1): Promise<void> {
    await this.pause();
    this.train(count, 'step');
    await this.#loop;
  }

  async reset(): Promise<void> {
    const b = this.#need();
    await this.pause();
    await this.build(b.spec, b.config, b.subset);
  }

  /** Applies a config; returns the learning rate the next step will use. */
  async setConfig(config: TrainConfig): Promise<number> {
    const b = this.#need();
    if (config.batch !== b.config.batch || config.dataset !== b.config.dataset || config.seed !== b.config.seed || (config.init ?? 'pytorch') !== (b.config.init ?? 'pytorch')) {
      // These change the plan or the run's identity: rebuild (a fresh run) when paused.
      if (this.#running) throw new Error('batch size, dataset and seed can only change while paused (they start a new run)');
      await this.build(b.spec, config, b.subset);
      return this.#need().trainer.currentLearningRate();
    }
    await b.trainer.setConfig(config);
    b.config = config;
    return b.trainer.currentLearningRate();
  }

  async evaluate(): Promise<EvalResult> {
    return this.#need().trainer.evaluate();
  }

  #disposeBuilt(): void {
    if (!this.#built) return;
    this.#built.trainer.dispose();
    this.#built.inspectPlan.dispose();
    this.#built.gradientPlan?.then((p) => p.dispose()).catch(() => undefined);
    this.#built.batchNormPlan?.then((p) => p.dispose()).catch(() => undefined);
    this.#built.network.dispose();
    this.#built = undefined;
    this.#gpu.pool.trim();
  }

  /**
   * The current state as a checkpoint file (the design and config ride along in its metadata);
   * `healthy`: the divergence guard's newest healthy state instead (the live one before any was kept).
   */
  async exportCheckpoint(includeOptimizer: boolean, healthy = false): Promise<{ bytes: Uint8Array; step: number }> {
    const b = this.#need();
    const layout = b.network.store.layout;
    const snap = (healthy ? await b.trainer.healthySnapshot() : undefined) ?? (await b.network.store.snapshot(b.trainer.step));
    const tensors = [...gatherTensors(layout.slots, snap.params), ...gatherTensors(layout.stateSlots, snap.state)];
    const optimizer = includeOptimizer ? { step: snap.step, m: gatherTensors(layout.slots, snap.m), v: gatherTensors(layout.slots, snap.v) } : undefined;
    return { bytes: toSafetensors({ doc: { spec: b.spec, train: b.config }, step: snap.step, tensors, optimizer, trainImages: b.trainer.trainImages }), step: snap.step };
  }

  /**
   * Loads a checkpoint: validates the whole file first (a refused file changes nothing), then plans its
   * design and puts its weights (and optimizer state, when present) in place.
   */
  /** Parses a checkpoint (a refused file changes nothing), builds its design and loads its weights.
   *  `subset`: the page's number of training images, for files that do not say theirs. */
  async importCheckpoint(bytes: Uint8Array, subset?: number, onProgress?: (p: BuildProgress) => void): Promise<{ doc: ConvplayDocument; step: number; hasOptimizer: boolean; stepsPerEpoch: number; totalSteps: number; subset: number | null }> {
    const ckpt = fromSafetensors(bytes);
    await this.pause();
    // The file's own number of training images (older files: the page's), so "step N of M" matches.
    await this.build(ckpt.doc.spec, ckpt.doc.train, ckpt.trainImages ?? subset ?? this.#built?.subset, onProgress);
    const b = this.#need();
    const layout = b.network.store.layout;
    const flat = (slots: Parameters<typeof scatterTensors>[0], tensors: Parameters<typeof scatterTensors>[1], size: number) => {
      const out = new Float32Array(size);
      scatterTensors(slots, tensors, out);
      return out;
    };
    const opt = ckpt.optimizer;
    const step = opt?.step ?? ckpt.step;
    b.trainer.restore({
      params: flat(layout.slots, ckpt.tensors, layout.total),
      state: flat(layout.stateSlots, ckpt.tensors, layout.stateTotal),
      m: opt ? flat(layout.slots, opt.m, layout.total) : new Float32Array(layout.total),
      v: opt ? flat(layout.slots, opt.v, layout.total) : new Float32Array(layout.total),
      step,
    });
    await this.#keepGoodState();
    const images = b.trainer.trainImages;
    return { doc: ckpt.doc, step, hasOptimizer: !!opt, stepsPerEpoch: b.trainer.stepsPerEpoch, totalSteps: b.trainer.totalSteps, subset: images >= b.data.train.count ? null : images };
  }

  /** GPU ms per training step of each layer (see Trainer.layerTimes). */
  layerTimes(): ReturnType<Trainer['layerTimes']> {
    return this.#need().trainer.layerTimes();
  }

  /** Softmax probabilities of every test image, in order, from the evaluation-mode network. */
  async predictTestSet(): Promise<{ probabilities: Float32Array; count: number; classes: number; step: number; dataset: DatasetName }> {
    const b = this.#need();
    const r = await b.trainer.evaluate();
    return { probabilities: r.probabilities, count: r.count, classes: classesOf(b.spec), step: b.trainer.step, dataset: b.config.dataset };
  }

  /** Test hook: destroys the device, as a driver reset or a GPU process crash would. */
  loseDevice(): void {
    this.#gpu.device.destroy();
  }

  dispose(): void {
    this.#disposeBuilt();
    for (const r of this.#resident.values()) {
      releaseSplit(this.#gpu, r.train);
      releaseSplit(this.#gpu, r.test);
    }
    this.#resident.clear();
  }
}
