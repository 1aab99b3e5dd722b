// Why: the worker's state: the device, the datasets on the GPU, the planned network and its trainer.
// Each command of the protocol is one method here; the training loop runs between commands and yields
// to them at every step, so pause, inspect and set-config are answered while training runs.
import { uploadSplit, releaseSplit, type GpuSplit } from '../data/gpu-dataset';
import type { DatasetCache, LoadedDataset } from './dataset-cache';
import { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import { Gpu } from '../gpu';
import type { Snapshot } from '../engine/param-store';
import { fromSafetensors, gatherTensors, scatterTensors, toSafetensors } from '../export';
import { classesOf, dataMismatch, forwardOrder, type ConvplayDocument, type DatasetDescriptor, type NetworkSpec, type TrainConfig } from '../model';
import { Trainer, type EvalResult, type Progress } from '../train/trainer';
import { explainCell } from './inspect-cell';
import { layerGradients } from './inspect-gradients';
import { batchNormModes } from './inspect-batch-norm';
import { drawnToData, normalisePixels } from './dataset-input';
import type { BatchNormModes, BuildStage, CellExplanation, CellPosition, GradientReport, DatasetName, ImageSource, LayerActivations, MemoryReport, PauseReason, WorkerEvent } from './protocol';

export type BuildProgress = Omit<Extract<WorkerEvent, { type: 'build-progress' }>, 'type'>;

type Post = (event: WorkerEvent, transfer?: Transferable[]) => void;

/** Images in the training-mode batch of the batch-norm comparison. */
const BN_BATCH = 16;

interface Built {
  spec: NetworkSpec;
  config: TrainConfig;
  subset?: number;
  network: Network;
  trainer: Trainer;
  inspectPlan: Plan;
  /** Batch 1, training mode, unfused: the gradient view's backward pass (planned when first asked). */
  gradientPlan?: Promise<Plan>;
  /** A training-mode batch of BN_BATCH for the batch-norm train/eval comparison (planned when first asked). */
  batchNormPlan?: Promise<Plan>;
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

  private constructor(gpu: Gpu, post: Post, datasets: DatasetCache) {
    this.#gpu = gpu;
    this.#post = post;
    this.#datasets = datasets;
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

  /** Plans the network for the config; replaces (and frees) any earlier one. */
  async build(spec: NetworkSpec, config: TrainConfig, subset?: number, onProgress?: (p: BuildProgress) => void): Promise<{ params: number; stepsPerEpoch: number; totalSteps: number }> {
    await this.pause();
    const t0 = performance.now();
    const pipelines = this.#gpu.pipelines;
    const c0 = pipelines.stats.created;
    const report = (stage: BuildStage, kernel = '') => onProgress?.({ stage, compiled: pipelines.stats.created - c0, kernel, elapsedMs: performance.now() - t0 });
    report('data');
    const data = await this.#residentData(config.dataset);
    const mismatch = dataMismatch(spec, data.descriptor);
    if (mismatch) throw new Error(`The design does not fit the data: ${mismatch}. Use "Fit the design to the data" (or change the input and the last layer).`);
    this.#disposeBuilt();
    const network = Network.create(this.#gpu, spec, config.seed, config.init ?? 'pytorch');
    try {
      report('planning');
      if (onProgress) pipelines.onCompiled = (name) => report('planning', name);
      const trainer = await Trainer.create(this.#gpu, network, data, config, this.#hooks(), subset);
      const inspectPlan = await network.plan({ N: 1, train: false, input: { kind: 'direct' }, fuse: false, probs: true });
      pipelines.onCompiled = undefined;
      report('finishing');
      this.#built = { spec, config, subset, network, trainer, inspectPlan, data: { train: data.train, test: data.test }, descriptor: data.descriptor };
      await this.#keepGoodState();
      return { params: network.analysis.totals.params, stepsPerEpoch: trainer.stepsPerEpoch, totalSteps: trainer.totalSteps };
    } catch (e) {
      pipelines.onCompiled = undefined;
      network.dispose();
      throw e;
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

  async #pixels(image: ImageSource): Promise<Uint8Array> {
    switch (image.kind) {
      case 'pixels':
        return drawnToData(image.pixels, this.#need().descriptor.input);
      case 'dataset': {
        const split = await this.#datasets.split(image.dataset, image.split);
        if (!(image.index >= 0 && image.index < split.count)) throw new RangeError(`image ${image.index} is not in the ${image.split} set (0–${split.count - 1})`);
        const px = (split.channels ?? 1) * split.rows * split.cols;
        return split.images.subarray(image.index * px, (image.index + 1) * px);
      }
      default:
        throw new Error(`unknown image source ${(image satisfies never as { kind: string }).kind}`);
    }
  }

  /** The network's input for an image (normalised as in training, per channel). */
  async #inputFor(image: ImageSource): Promise<Float32Array> {
    const b = this.#need();
    const plan = b.inspectPlan;
    const pixels = await this.#pixels(image);
    if (pixels.length !== plan.input.size) throw new RangeError(`the image has ${pixels.length} pixels, the network's input takes ${plan.input.size}`);
    return normalisePixels(pixels, b.descriptor.mean, b.descriptor.std);
  }

  /** Runs one input forward through the inspection plan (N = 1, evaluation mode, unfused); synchronous,
   *  so reads queued right after it see this pass and no training step in between. */
  #runInspect(input: Float32Array): void {
    const plan = this.#need().inspectPlan;
    this.#gpu.write(plan.input.buffer, input);
    this.#gpu.run([...plan.forwardParts(), plan.loss!], 'inspect');
  }

  /** Probabilities and every layer's output for one image, in evaluation mode. */
  async inspect(image: ImageSource): Promise<{ probabilities: Float32Array; input: Float32Array; layers: LayerActivations[] }> {
    const b = this.#need();
    const plan = b.inspectPlan;
    const input = await this.#inputFor(image);
    this.#runInspect(input);
    const probabilities = await this.#gpu.readF32(plan.probs!.buffer, plan.probs!.size);
    const layers: LayerActivations[] = [];
    for (const layer of forwardOrder(b.spec.layers)) {
      const t = plan.outputs.get(layer.id);
      if (!t) continue;
      layers.push({ layerId: layer.id, shape: [...t.shape.slice(1)], data: await this.#gpu.readF32(t.buffer, t.size) });
    }
    return { probabilities, input, layers };
  }

  /** How one cell of a layer was computed for one image (evaluation mode), read from the engine. */
  async explainCell(image: ImageSource, layerId: string, at: CellPosition): Promise<CellExplanation> {
    const b = this.#need();
    const label = await this.#label(image);
    this.#runInspect(await this.#inputFor(image));
    // No await between the forward pass and explainCell's reads: they are queued right behind it.
    return explainCell(this.#gpu, b.network, b.inspectPlan, layerId, at, label);
  }

  /** Every layer's output gradient and filter gradients for one image (against its label, or the
   *  predicted class for a drawing). */
  async gradients(image: ImageSource): Promise<GradientReport> {
    const b = this.#need();
    b.gradientPlan ??= b.network.plan({ N: 1, train: true, input: { kind: 'direct' }, fuse: false });
    const plan = await b.gradientPlan;
    const input = await this.#inputFor(image);
    let target = await this.#label(image);
    const isLabel = target !== undefined;
    if (target === undefined) {
      this.#runInspect(input);
      const p = await this.#gpu.readF32(b.inspectPlan.probs!.buffer, b.inspectPlan.probs!.size);
      target = p.indexOf(Math.max(...p));
    }
    if (this.#built !== b) throw new Error('the network was rebuilt meanwhile');
    return layerGradients(this.#gpu, b.network, plan, input, target, isLabel);
  }

  /** A batch-norm cell in both modes: training mode in a batch of the image and the test images after
   *  it (a drawing: the first test images), evaluation mode alone. */
  async batchNormModes(image: ImageSource, layerId: string, at: CellPosition): Promise<BatchNormModes> {
    const b = this.#need();
    b.batchNormPlan ??= b.network.plan({ N: BN_BATCH, train: true, input: { kind: 'direct' }, fuse: false, probs: true });
    const plan = await b.batchNormPlan;
    const first = await this.#inputFor(image);
    const size = first.length;
    const inputs = new Float32Array(BN_BATCH * size);
    inputs.set(first);
    const start = image.kind === 'dataset' ? image.index + 1 : 0;
    const d = await this.dataset(b.config.dataset);
    for (let k = 1; k < BN_BATCH; k++) {
      const index = (start + k - 1) % d.test.count;
      inputs.set(await this.#inputFor({ kind: 'dataset', dataset: b.config.dataset, split: 'test', index }), k * size);
    }
    if (this.#built !== b) throw new Error('the network was rebuilt meanwhile');
    return batchNormModes(this.#gpu, b.network, plan, b.inspectPlan, inputs, layerId, at);
  }

  async #label(image: ImageSource): Promise<number | undefined> {
    if (image.kind !== 'dataset') return undefined;
    const d = await this.dataset(image.dataset);
    return (image.split === 'train' ? d.train : d.test).labels[image.index];
  }

  async weights(layerId: string): Promise<{ shape: number[]; data: Float32Array; bias?: Float32Array }> {
    const b = this.#need();
    const slots = b.network.slotsOf(layerId);
    const w = slots.find((s) => s.role === 'weight');
    if (!w) throw new Error(`layer ${layerId} has no weights`);
    const bias = slots.find((s) => s.role === 'bias');
    return { shape: w.shape, data: await b.network.store.read(w), ...(bias && { bias: await b.network.store.read(bias) }) };
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
  async importCheckpoint(bytes: Uint8Array): Promise<{ doc: ConvplayDocument; step: number; hasOptimizer: boolean; stepsPerEpoch: number; totalSteps: number; subset: number | null }> {
    const ckpt = fromSafetensors(bytes);
    await this.pause();
    // The file's own number of training images (older files: this page's), so "step N of M" matches.
    await this.build(ckpt.doc.spec, ckpt.doc.train, ckpt.trainImages ?? this.#built?.subset);
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
