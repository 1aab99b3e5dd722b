// Why: the training loop. It replays the planned step (one submit per step, at most two in flight),
// reads loss and accuracy back every ~quarter second rather than every step, reshuffles each epoch from
// the seed, evaluates on the GPU, and hands every readback to the divergence guard, which pauses a run
// that blows up and puts back the last healthy state.
import type { BoundKernel, Gpu } from '../gpu';
import type { GpuSplit } from '../data/gpu-dataset';
import type { Network } from '../engine/network';
import { Optimizer } from '../engine/optimizer';
import type { Plan } from '../engine/plan';
import type { Snapshot } from '../engine/param-store';
import { confusionMatrix } from '../kernels/confusion-matrix';
import { decodeStats, STATS_SLOT_BYTES } from '../kernels/softmax-cross-entropy';
import { classesOf, forwardOrder, type TrainConfig } from '../model';
import { largestDivisorAtMost } from '../util/divisors';
import { Prng } from '../util/prng';
import { DivergenceGuard, type StepProbe } from './divergence-guard';
import type { LayerSignal } from './health';
import { learningRateAt } from './schedule';

/** Steps whose stats fit in the ring between two readbacks. */
const STATS_SLOTS = 64;
/** Aim for a readback about this often (ms): frequent enough for a live chart, rare enough to be free. */
const READBACK_MS = 250;

export interface StepStats {
  step: number;
  loss: number;
  accuracy: number;
}

export interface Progress {
  /** Steps taken in the run so far (global). */
  step: number;
  epoch: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  lr: number;
  /** Per-step loss and accuracy since the last report. */
  steps: StepStats[];
  samplesPerSecond: number;
  msPerStep: number;
}

export interface EvalResult {
  loss: number;
  accuracy: number;
  count: number;
  /** Row = true class, column = predicted, CLASSES × CLASSES. */
  confusion: Uint32Array;
  /** Softmax output for every test image, in order ([count, CLASSES]). */
  probabilities: Float32Array;
  /** The predicted class of every test image (argmax, ties → lowest class). */
  predictions: Uint8Array;
  ms: number;
}

export type StopReason =
  | { kind: 'stopped' }
  | { kind: 'finished' }
  | { kind: 'step-limit' }
  /** `step`: the step that broke; the trainer stands at `restoredStep`; `steps`: the diverged stretch's losses. */
  | { kind: 'diverged'; step: number; message: string; restoredStep: number; restoredLoss?: number; suggestedLr: number; steps: StepStats[] };

export interface TrainerHooks {
  progress?(p: Progress): void;
  epochEnd?(epoch: number, result: EvalResult): void;
  /** During an evaluation: test images done of total (it waits on the GPU every EVAL_REPORT_BATCHES batches). */
  evalProgress?(done: number, total: number, elapsedMs: number): void;
}

/** How many evaluation batches run between progress reports (each report waits for the GPU once). */
const EVAL_REPORT_BATCHES = 8;

export class Trainer {
  readonly network: Network;
  #gpu: Gpu;
  #config: TrainConfig;
  #train: GpuSplit;
  #test: GpuSplit;
  #trainPlan: Plan;
  #evalPlan: Plan;
  #optimizer: Optimizer;
  #indices: GPUBuffer;
  #evalIndices: GPUBuffer;
  #confusion: GPUBuffer;
  #confusionKernel: BoundKernel;
  /** [test count, CLASSES] probabilities, filled batch by batch during evaluation. */
  #testProbs: GPUBuffer;
  #step = 0;
  #hooks: TrainerHooks;
  #subset: number;
  #guard: DivergenceGuard;
  /** The epoch whose order the indices buffer holds (a rollback may cross an epoch boundary). */
  #orderEpoch = -1;
  /** The learning rate of the last step taken (undefined before any). */
  #lastLr: number | undefined;

  private constructor(gpu: Gpu, network: Network, f: { config: TrainConfig; train: GpuSplit; test: GpuSplit; trainPlan: Plan; evalPlan: Plan; optimizer: Optimizer; indices: GPUBuffer; evalIndices: GPUBuffer; confusion: GPUBuffer; confusionKernel: BoundKernel; testProbs: GPUBuffer; hooks: TrainerHooks; subset: number }) {
    this.#gpu = gpu;
    this.network = network;
    this.#config = f.config;
    this.#train = f.train;
    this.#test = f.test;
    this.#trainPlan = f.trainPlan;
    this.#evalPlan = f.evalPlan;
    this.#optimizer = f.optimizer;
    this.#indices = f.indices;
    this.#evalIndices = f.evalIndices;
    this.#confusion = f.confusion;
    this.#confusionKernel = f.confusionKernel;
    this.#testProbs = f.testProbs;
    this.#hooks = f.hooks;
    this.#subset = f.subset;
    this.#guard = new DivergenceGuard(gpu, network, classesOf(network.spec));
  }

  /**
   * Plans training (batch = config.batch) and evaluation (the largest batch ≤ 250 dividing the test set)
   * for `network` over resident data. `subset` limits training to the first N images.
   */
  static async create(gpu: Gpu, network: Network, data: { train: GpuSplit; test: GpuSplit }, config: TrainConfig, hooks: TrainerHooks = {}, subset?: number): Promise<Trainer> {
    const trainCount = Math.min(data.train.count, subset ?? Infinity);
    if (config.batch > trainCount) throw new Error(`batch size ${config.batch} is larger than the ${trainCount} training images`);
    const indices = gpu.storage(trainCount * 4, 'epoch-order');
    const evalIndices = gpu.upload(Uint32Array.from({ length: data.test.count }, (_, i) => i), 'test-order');
    const evalN = largestDivisorAtMost(data.test.count, 250);
    const [trainPlan, evalPlan] = [
      await network.plan({ N: config.batch, train: true, input: { kind: 'gather', images: data.train.images, labels: data.train.labels, indices, imageBytes: data.train.imageBytes, mean: data.train.mean, std: data.train.std }, statsSlots: STATS_SLOTS, seed: config.seed }),
      await network.plan({ N: evalN, train: false, probs: true, input: { kind: 'gather', images: data.test.images, labels: data.test.labels, indices: evalIndices, imageBytes: data.test.imageBytes, mean: data.test.mean, std: data.test.std } }),
    ];
    const optimizer = await Optimizer.create(gpu, network.store, config.optimizer);
    const CLASSES = classesOf(network.spec);
    const confusion = gpu.storage(CLASSES * CLASSES * 4, 'confusion');
    const confusionKernel = await confusionMatrix(gpu, { logits: evalPlan.logits.buffer, labels: evalPlan.labels, matrix: confusion, N: evalN, classes: CLASSES });
    const testProbs = gpu.storage(data.test.count * CLASSES * 4, 'test-probabilities');
    return new Trainer(gpu, network, { config, train: data.train, test: data.test, trainPlan, evalPlan, optimizer, indices, evalIndices, confusion, confusionKernel, testProbs, hooks, subset: trainCount });
  }

  get step(): number {
    return this.#step;
  }

  get config(): TrainConfig {
    return this.#config;
  }

  get stepsPerEpoch(): number {
    // The last partial batch of an epoch is dropped (every step has the same batch size).
    return Math.floor(this.#subset / this.#config.batch);
  }

  /** Training images this run uses (the subset, or the whole training split). */
  get trainImages(): number {
    return this.#subset;
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.#config.epochs;
  }

  get epoch(): number {
    return Math.floor(this.#step / this.stepsPerEpoch);
  }

  get trainPlan(): Plan {
    return this.#trainPlan;
  }

  /** Learning rate, schedule, optimizer settings, epochs: applied from the next step, no reset. */
  async setConfig(config: TrainConfig): Promise<void> {
    if (config.batch !== this.#config.batch || config.dataset !== this.#config.dataset) {
      throw new Error('batch size and dataset are fixed for a run: reset to change them');
    }
    if (!this.#optimizer.accepts(config.optimizer)) {
      const next = await Optimizer.create(this.#gpu, this.network.store, config.optimizer);
      this.#optimizer.dispose();
      this.#optimizer = next;
      this.network.store.clearOptimizerState();
      // Kept states carry the old optimizer's moments: they no longer fit.
      this.#guard.forgetStates();
    } else {
      this.#optimizer.update(config.optimizer);
    }
    this.#config = config;
  }

  #shuffle(epoch: number): void {
    this.#orderEpoch = epoch;
    const order = Uint32Array.from({ length: this.#subset }, (_, i) => i);
    new Prng((this.#config.seed * 1_000_003 + epoch) >>> 0).shuffle(order);
    this.#gpu.write(this.#indices, order);
  }

  currentLearningRate(): number {
    return learningRateAt(this.#step, this.totalSteps, this.#config.optimizer.lr, this.#config.schedule);
  }

  /**
   * Trains until `shouldStop()` says so, `maxSteps` more steps were taken, or the configured epochs
   * are done. Evaluates at each epoch end.
   */
  async run(opts: { shouldStop?: () => boolean; maxSteps?: number } = {}): Promise<StopReason> {
    const plan = this.#trainPlan;
    const parts = [...plan.stepParts(), this.#optimizer.kernel];
    const limit = opts.maxSteps === undefined ? Infinity : this.#step + opts.maxSteps;
    let pending: StepStats[] = [];
    let intervalStart = performance.now();
    let intervalFirstStep = this.#step;
    // Completion of the last step submitted, and of the one before it.
    let inFlight: Promise<void> | undefined;
    let beforeLast: Promise<void> | undefined;
    let slot = 0;
    await this.#guard.start(this.#step, this.#lastLr);

    const flush = async (): Promise<StopReason | undefined> => {
      if (slot === 0) return undefined;
      const count = slot;
      const data = await this.#gpu.read(plan.stats, 0, count * STATS_SLOT_BYTES);
      const firstStep = this.#step - count;
      // A step with any non-finite row has no meaningful mean: call its loss NaN.
      pending = decodeStats(data, count).map((s, i) => ({ step: firstStep + i + 1, loss: s.nonFinite > 0 ? NaN : s.lossSum / s.rows, accuracy: s.correct / s.rows }));
      slot = 0;
      const trouble = await this.#guard.review(pending, this.#step, this.#lastLr ?? this.currentLearningRate());
      if (trouble) {
        const r = await this.#guard.rollBack(trouble, this.currentLearningRate(), this.#probe());
        this.#step = r.restoredStep;
        return { kind: 'diverged', ...r, steps: pending.filter((p) => p.step <= trouble.step) };
      }
      const ms = performance.now() - intervalStart;
      const steps = this.#step - intervalFirstStep;
      this.#hooks.progress?.({
        step: this.#step,
        epoch: this.epoch,
        stepInEpoch: this.#step % this.stepsPerEpoch,
        stepsPerEpoch: this.stepsPerEpoch,
        totalSteps: this.totalSteps,
        lr: this.currentLearningRate(),
        steps: pending,
        samplesPerSecond: (steps * this.#config.batch * 1000) / ms,
        msPerStep: ms / steps,
      });
      intervalStart = performance.now();
      intervalFirstStep = this.#step;
      return undefined;
    };

    while (true) {
      if (this.#step >= this.totalSteps) {
        await inFlight;
        return (await flush()) ?? { kind: 'finished' };
      }
      if (this.#step >= limit || opts.shouldStop?.()) {
        await inFlight;
        return (await flush()) ?? { kind: this.#step >= limit ? 'step-limit' : 'stopped' };
      }
      const stepInEpoch = this.#step % this.stepsPerEpoch;
      if (stepInEpoch === 0 || this.#orderEpoch !== this.epoch) this.#shuffle(this.epoch);
      plan.prepareStep(this.#step, stepInEpoch * this.#config.batch, slot, this.#train.imageBytes);
      const lr = this.currentLearningRate();
      this.#optimizer.prepareStep(this.#step + 1, lr);
      this.#lastLr = lr;
      // At most two steps in flight: wait for the one before last, then submit this one.
      // (The GPU starts this step the moment the last one ends, never waiting on this loop.)
      await beforeLast;
      this.#gpu.run(parts, 'train-step');
      beforeLast = inFlight;
      inFlight = this.#gpu.done();
      this.#step++;
      slot++;
      const epochDone = this.#step % this.stepsPerEpoch === 0;
      if (slot === STATS_SLOTS || epochDone || performance.now() - intervalStart > READBACK_MS) {
        await inFlight;
        const stop = await flush();
        if (stop) return stop;
      }
      if (epochDone && this.#hooks.epochEnd) {
        // Evaluation at each epoch end is for someone listening (the UI, the reference run).
        const result = await this.evaluate();
        this.#hooks.epochEnd?.(this.epoch - 1, result);
        intervalStart = performance.now();
      }
    }
  }

  /** Puts back a snapshot of this network's state (weights, optimizer, step) taken earlier. */
  restore(snapshot: Snapshot): void {
    this.network.store.restore(snapshot);
    this.#step = snapshot.step;
    this.#lastLr = undefined;
    this.#guard.forget();
  }

  /** The newest state the divergence guard judged healthy (a CPU copy), if any was kept. */
  healthySnapshot(): Promise<Snapshot | undefined> {
    return this.#guard.healthySnapshot();
  }

  /** The step of the newest healthy state. */
  get healthyStep(): number | undefined {
    return this.#guard.healthy?.step;
  }

  /** Loss, accuracy and confusion matrix over the whole test set, on the GPU, in evaluation mode. */
  async evaluate(): Promise<EvalResult> {
    const t0 = performance.now();
    const plan = this.#evalPlan;
    const batches = this.#test.count / plan.N;
    this.#gpu.clear(plan.stats, STATS_SLOT_BYTES);
    this.#gpu.clear(this.#confusion);
    const parts = [...plan.forwardParts(), plan.loss!, this.#confusionKernel];
    const CLASSES = plan.classes;
    const rowBytes = CLASSES * 4;
    for (let b = 0; b < batches; b++) {
      plan.prepareStep(0, b * plan.N, 0, this.#test.imageBytes, true);
      this.#gpu.run(parts, 'evaluate');
      this.#gpu.submit((enc) => enc.copyBufferToBuffer(plan.probs!.buffer, 0, this.#testProbs, b * plan.N * rowBytes, plan.N * rowBytes), 'keep-probabilities');
      const report = this.#hooks.evalProgress;
      if (report && (b + 1) % EVAL_REPORT_BATCHES === 0 && b + 1 < batches) {
        await this.#gpu.done();
        report((b + 1) * plan.N, this.#test.count, performance.now() - t0);
      }
    }
    const [stats] = decodeStats(await this.#gpu.read(plan.stats, 0, STATS_SLOT_BYTES), 1);
    const confusion = await this.#gpu.readU32(this.#confusion, CLASSES * CLASSES);
    const probabilities = await this.#gpu.readF32(this.#testProbs, this.#test.count * CLASSES);
    return { loss: stats!.lossSum / stats!.rows, accuracy: stats!.correct / stats!.rows, count: stats!.rows, confusion, probabilities, predictions: argmaxRows(probabilities, CLASSES), ms: performance.now() - t0 };
  }

  /** What the divergence guard reads to name the layer that went bad (see StepProbe). */
  #probe(): StepProbe {
    const plan = this.#trainPlan;
    const store = this.network.store;
    return {
      replay: () => this.#gpu.run(plan.stepParts(), 'divergence-replay'),
      signals: async () => {
        const grads = await this.#gpu.readF32(store.grads, store.layout.total);
        const out: LayerSignal[] = [];
        for (const layer of forwardOrder(this.network.spec.layers)) {
          const t = plan.outputs.get(layer.id);
          const slots = this.network.slotsOf(layer.id);
          const s: LayerSignal = { layerId: layer.id, kind: layer.kind };
          if (t) s.output = maxAbs(await this.#gpu.readF32(t.buffer, t.size));
          if (slots.length > 0) s.gradient = Math.sqrt(slots.reduce((sum, sl) => sum + sumSquares(grads, sl.offset, sl.count), 0));
          out.push(s);
        }
        return out;
      },
    };
  }

  dispose(): void {
    this.#guard.dispose();
    this.#trainPlan.dispose();
    this.#evalPlan.dispose();
    this.#optimizer.dispose();
    this.#confusionKernel.dispose();
    for (const b of [this.#indices, this.#evalIndices, this.#confusion, this.#testProbs]) this.#gpu.release(b);
  }
}

/** Index of each row's largest value (ties → the lowest index, as the GPU's accuracy count does). */
function argmaxRows(values: Float32Array, width: number): Uint8Array {
  const out = new Uint8Array(values.length / width);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 1; k < width; k++) if (values[r * width + k]! > values[r * width + best]!) best = k;
    out[r] = best;
  }
  return out;
}

/** Largest |x| (NaN when any value is non-finite). */
function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) return NaN;
    m = Math.max(m, Math.abs(v));
  }
  return m;
}

function sumSquares(values: Float32Array, offset: number, count: number): number {
  let s = 0;
  for (let i = offset; i < offset + count; i++) s += values[i]! * values[i]!;
  return s;
}
