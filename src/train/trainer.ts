// Why: the training loop, with no GPU round trip inside it. It records groups of steps (up to
// MAX_GROUP per command buffer), their per-step values (batch offset, stats slot, dropout step, the
// optimizer's step and learning rate) in a step table written once per group (gpu/step-table.ts). Each
// step's loss and accuracy go to a ring of stats slots on the GPU; every ~¼ s a group also copies the
// new slots and the weights to a staging buffer whose map the loop does not await: the divergence guard
// judges them when they arrive, and the loop stops at its next group if they show trouble (then puts
// back the last healthy state). A step whose loss is not finite is skipped by the optimizer on the GPU.
// The loop waits only as back-pressure (the GPU ~1 s behind, see pacing.ts) and at epoch ends.
import { StepTable, type Gpu, type PieceTimes } from '../gpu';
import { layerTimesKeepingState, type LayerTime } from '../engine/layer-times';
import type { GpuSplit } from '../data/gpu-dataset';
import type { Network } from '../engine/network';
import { Optimizer } from '../engine/optimizer';
import type { Plan } from '../engine/plan';
import type { Snapshot } from '../engine/param-store';
import { classesOf, type TrainConfig } from '../model';
import { Prng } from '../util/prng';
import { DivergenceGuard, type StepProbe } from './divergence-guard';
import { layerProbe } from './layer-probe';
import { MAX_GROUP, priorMsPerStep, StepPacer } from './pacing';
import { learningRateAt } from './schedule';
import { RunReadbacks, type StepStats } from './run-readbacks';
import { TestEvaluator, type EvalResult } from './test-evaluator';
import { StatsReadback } from './stats-readback';
import { yieldToEvents } from '../util/yield';

/** Steps whose stats the GPU ring holds (readbacks copy them out; the loop never runs this far ahead). */
const STATS_SLOTS = 256;

export type { StepStats } from './run-readbacks';

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

export type { EvalResult } from './test-evaluator';

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

export class Trainer {
  readonly network: Network;
  #gpu: Gpu;
  #config: TrainConfig;
  #train: GpuSplit;
  #trainPlan: Plan;
  #evaluator: TestEvaluator;
  #optimizer: Optimizer;
  #indices: GPUBuffer;
  #step = 0;
  #hooks: TrainerHooks;
  #subset: number;
  #guard: DivergenceGuard;
  /** The epoch whose order the indices buffer holds (a rollback may cross an epoch boundary). */
  #orderEpoch = -1;
  /** The learning rate of the last step taken (undefined before any). */
  #lastLr: number | undefined;
  #table: StepTable;
  #readback: StatsReadback;
  #pacer: StepPacer;
  /** The table slot of the last step recorded (replayed to name the bad layer). */
  #lastSlot = 0;
  #skipped = 0;
  #running = false;
  /** Work to run between two groups once every readback is in (e.g. timing the layers). */
  #between: (() => Promise<void>)[] = [];

  private constructor(gpu: Gpu, network: Network, f: { config: TrainConfig; train: GpuSplit; trainPlan: Plan; evaluator: TestEvaluator; optimizer: Optimizer; indices: GPUBuffer; hooks: TrainerHooks; subset: number }) {
    this.#gpu = gpu;
    this.network = network;
    this.#config = f.config;
    this.#train = f.train;
    this.#trainPlan = f.trainPlan;
    this.#evaluator = f.evaluator;
    this.#optimizer = f.optimizer;
    this.#indices = f.indices;
    this.#hooks = f.hooks;
    this.#subset = f.subset;
    this.#guard = new DivergenceGuard(gpu, network, classesOf(network.spec));
    this.#table = new StepTable(gpu, MAX_GROUP);
    this.#readback = new StatsReadback(gpu, f.trainPlan.stats, STATS_SLOTS, network.store.params, network.store.layout.total);
    this.#pacer = new StepPacer(priorMsPerStep(network.analysis.totals.macs, f.config.batch, gpu.profile.detectedSoftware), STATS_SLOTS);
  }

  /**
   * Plans training (batch = config.batch) and evaluation (the largest batch ≤ 250 dividing the test set)
   * for `network` over resident data. `subset` limits training to the first N images.
   */
  static async create(gpu: Gpu, network: Network, data: { train: GpuSplit; test: GpuSplit }, config: TrainConfig, hooks: TrainerHooks = {}, subset?: number): Promise<Trainer> {
    const trainCount = Math.min(data.train.count, subset ?? Infinity);
    if (config.batch > trainCount) throw new Error(`batch size ${config.batch} is larger than the ${trainCount} training images`);
    const indices = gpu.storage(trainCount * 4, 'epoch-order');
    const trainPlan = await network.plan({ N: config.batch, train: true, input: { kind: 'gather', images: data.train.images, labels: data.train.labels, indices, imageBytes: data.train.imageBytes, mean: data.train.mean, std: data.train.std }, statsSlots: STATS_SLOTS, seed: config.seed });
    const evaluator = await TestEvaluator.create(gpu, network, data.test);
    const optimizer = await Optimizer.create(gpu, network.store, config.optimizer, trainPlan.stats);
    return new Trainer(gpu, network, { config, train: data.train, trainPlan, evaluator, optimizer, indices, hooks, subset: trainCount });
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
      const next = await Optimizer.create(this.#gpu, this.network.store, config.optimizer, this.#trainPlan.stats);
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
   * are done. Evaluates at each epoch end (when someone listens). Never waits for a step: it records
   * groups of steps, one submit each, and judges their statistics when they come back (see the header).
   */
  async run(opts: { shouldStop?: () => boolean; maxSteps?: number } = {}): Promise<StopReason> {
    this.#running = true;
    try {
      return await this.#run(opts);
    } finally {
      this.#running = false;
      for (const job of this.#between.splice(0)) await job();
    }
  }

  async #run(opts: { shouldStop?: () => boolean; maxSteps?: number }): Promise<StopReason> {
    const limit = opts.maxSteps === undefined ? Infinity : this.#step + opts.maxSteps;
    const backs = new RunReadbacks({ readback: this.#readback, guard: this.#guard, pacer: this.#pacer, slots: this.network.store.layout.slots, report: (end, steps, ms) => this.#report(end, steps, ms), startStep: this.#step });
    this.#guard.start(this.#step, this.#lastLr);
    let stop: 'finished' | 'step-limit' | 'stopped' | undefined;
    try {
      while (!backs.trouble) {
        if (this.#step >= this.totalSteps) stop = 'finished';
        else if (this.#step >= limit) stop = 'step-limit';
        else if (opts.shouldStop?.()) stop = 'stopped';
        if (stop) break;
        if (this.#between.length > 0) {
          await backs.drain();
          for (const job of this.#between.splice(0)) await job();
          backs.restartClock(this.#step);
          continue;
        }
        const pace = this.#pacer;
        const count = Math.min(pace.group, this.stepsPerEpoch - (this.#step % this.stepsPerEpoch), limit - this.#step);
        const end = this.#step + count;
        // Back-pressure only: the GPU is far behind, or the ring would overwrite stats not yet copied.
        while (backs.inFlight > 0 && (end - backs.reviewed > pace.window || this.#readback.uncopied(end) > STATS_SLOTS - MAX_GROUP)) await backs.waitOldest();
        if (backs.trouble) break;
        const epochEnd = end % this.stepsPerEpoch === 0 && !!this.#hooks.epochEnd;
        const due = this.#readback.uncopied(end) >= pace.readEvery || epochEnd || end >= this.totalSteps || end >= limit;
        this.#recordGroup(count, due && this.#readback.free ? backs : undefined);
        await yieldToEvents();
        if (epochEnd) {
          await backs.drain();
          if (backs.trouble) break;
          // Evaluation at each epoch end is for someone listening (the UI, the reference run).
          const result = await this.evaluate();
          this.#hooks.epochEnd?.(this.epoch - 1, result);
          backs.restartClock(this.#step);
        }
      }
      if (!backs.trouble && this.#readback.uncopied(this.#step) > 0) {
        // The last steps' stats (the run is over): a free staging buffer, then one copy.
        while (!this.#readback.free && backs.inFlight > 0) await backs.waitOldest();
        this.#gpu.submit((enc) => backs.record(enc, this.#step, this.#lastLr ?? this.currentLearningRate()), 'stats-readback');
        backs.start();
      }
      await backs.drain();
    } finally {
      this.#skipped += backs.skipped;
    }
    const t = backs.trouble;
    if (!t) return { kind: stop ?? 'stopped' };
    const r = await this.#guard.rollBack(t.trouble, this.currentLearningRate(), this.#probe());
    this.#step = r.restoredStep;
    const skipped = t.steps.filter((p) => Number.isNaN(p.loss)).length;
    const note = skipped > 0 ? ` ${skipped} step(s) with a non-finite loss were not applied (the GPU skipped their updates).` : '';
    return { kind: 'diverged', ...r, message: r.message + note, steps: t.steps };
  }

  /** Records `count` steps into one command buffer (with a readback into `backs` when given) and submits it. */
  #recordGroup(count: number, backs: RunReadbacks | undefined): void {
    const plan = this.#trainPlan;
    const first = this.#step;
    const stepInEpoch = first % this.stepsPerEpoch;
    if (stepInEpoch === 0 || this.#orderEpoch !== this.epoch) this.#shuffle(this.epoch);
    const parts = [...plan.stepParts(), this.#optimizer.kernel];
    const lrs = Array.from({ length: count }, (_, s) => this.#lrAt(first + s));
    this.#gpu.submit((enc) => {
      const pass = enc.beginComputePass({ label: 'train-steps' });
      this.#table.record(
        count,
        (s) => {
          const slot = this.#readback.slotOf(first + s);
          plan.prepareStep(first + s, (stepInEpoch + s) * this.#config.batch, slot, this.#train.imageBytes);
          this.#optimizer.prepareStep(first + s + 1, lrs[s]!, slot);
        },
        () => {
          for (const p of parts) p.encode(pass);
        },
      );
      pass.end();
      this.#step += count;
      this.#lastLr = lrs[count - 1];
      this.#lastSlot = count - 1;
      backs?.record(enc, this.#step, lrs[count - 1]!);
    }, 'train-steps');
    backs?.start();
  }

  #report(endStep: number, steps: StepStats[], msPerStep: number): void {
    this.#hooks.progress?.({
      step: endStep,
      epoch: Math.floor(endStep / this.stepsPerEpoch),
      stepInEpoch: endStep % this.stepsPerEpoch,
      stepsPerEpoch: this.stepsPerEpoch,
      totalSteps: this.totalSteps,
      lr: this.#lrAt(endStep),
      steps,
      samplesPerSecond: (this.#config.batch * 1000) / msPerStep,
      msPerStep,
    });
  }

  #lrAt(step: number): number {
    return learningRateAt(step, this.totalSteps, this.#config.optimizer.lr, this.#config.schedule);
  }

  /**
   * GPU ms per step of each layer's forward and backward dispatches (and the gather and the loss), by
   * timestamp queries where the device has them, else each piece submitted and timed alone. During a
   * run it is measured between two groups, once every readback is in (the pieces write stats slot 0);
   * the batch-norm running statistics the extra forward passes touch are put back afterwards.
   */
  layerTimes(): Promise<{ method: PieceTimes['method']; layers: LayerTime[] }> {
    const job = () => layerTimesKeepingState(this.#gpu, this.network.store, this.#trainPlan, this.#gpu.profile.detectedSoftware ? 1 : 10);
    if (!this.#running) return job();
    return new Promise((resolve, reject) => this.#between.push(() => job().then(resolve, reject)));
  }

  /** Steps whose loss was not finite, which the GPU therefore did not apply (since the trainer was made). */
  get skippedSteps(): number {
    return this.#skipped;
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
  evaluate(): Promise<EvalResult> {
    return this.#evaluator.evaluate(this.#hooks.evalProgress);
  }

  /** What the divergence guard reads to name the layer that went bad (see StepProbe). */
  #probe(): StepProbe {
    const plan = this.#trainPlan;
    // The last step recorded, with its own batch and dropout mask (the table keeps its values).
    return layerProbe(this.#gpu, this.network, plan, () => this.#table.replay(this.#lastSlot, () => this.#gpu.run(plan.stepParts(), 'divergence-replay')));
  }

  dispose(): void {
    this.#guard.dispose();
    this.#table.dispose();
    this.#readback.dispose();
    this.#trainPlan.dispose();
    this.#evaluator.dispose();
    this.#optimizer.dispose();
    this.#gpu.release(this.#indices);
  }
}
