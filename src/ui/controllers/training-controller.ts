// Why: <cp-app>'s handle on a training run: the phase machine. It turns the buttons into protocol
// commands (build only when the design or batch/dataset/seed changed, set-config for settings that can
// change mid-run), follows the worker's events, and keeps the numbers the status line shows. The jobs
// around it live beside it: the command queue (command-queue.ts), the curves of this run and the runs
// before it (run-history.ts), the in-memory checkpoint for crash recovery (checkpoint-keeper.ts).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { validateTrainConfig, type ConvplayDocument, type NetworkSpec, type TrainConfig } from '../../model';
import type { EngineClient } from '../../worker/engine-client';
import type { RollbackReport, WorkerEvent } from '../../worker/protocol';
import { CheckpointKeeper, type KeptCheckpoint } from './checkpoint-keeper';
import { CommandQueue } from './command-queue';
import { GpuTimesAsk } from './gpu-times';
import { describeChange, RunHistory, type RunData } from './run-history';
import { Waits } from './waits';

export { describeChange, type CurvePoint, type DivergedStretch, type EvalPoint, type Marker, type RunData } from './run-history';
export { KEEP_CHECKPOINT_MS, type KeptCheckpoint } from './checkpoint-keeper';

export { buildKey, type Evaluation, type Recovery, type TrainPhase, type TrainStatus } from './training-state';
import { buildKey, type Evaluation, type Recovery, type TrainPhase, type TrainStatus } from './training-state';

export class TrainingController implements ReactiveController {
  phase: TrainPhase = 'idle';
  /** The worker's message for a pause, a divergence or an error. */
  message = '';
  status?: TrainStatus;
  readonly history = new RunHistory();
  /** The long waits (build, evaluation) and how far they are. */
  readonly waits = new Waits(() => this.#changed());
  evaluation?: Evaluation;
  /** Training images per run (null: the whole training set). */
  subset: number | null = null;
  /** The network the worker has built (inspect and weights name its layers). */
  builtSpec?: NetworkSpec;
  builtDataset?: TrainConfig['dataset'];
  /** Set when the worker recovered from a lost GPU device (cleared by the page). */
  recovery?: Recovery;
  /** After a divergence: what the worker restored and the rate it suggests. */
  rollback?: RollbackReport;
  /** Each layer's GPU ms per step, measured once training of a build has started. */
  readonly times = new GpuTimesAsk();

  readonly #host: ReactiveControllerHost;
  #unlisten?: () => void;
  readonly #commands = new CommandQueue((e) => {
    this.phase = 'error';
    this.message = e instanceof Error ? e.message : String(e);
    this.#changed();
  });
  readonly #keeper = new CheckpointKeeper(
    // The worker's newest healthy state, never the live one, which may be in the middle of a blow-up
    // the guard has not read back yet.
    () =>
      this.#commands.exclusive(async (c) => {
        if (!this.built) throw new Error('nothing built');
        const r = await c.request({ type: 'export-checkpoint', includeOptimizer: true, healthy: true });
        return { bytes: r.bytes, step: r.step };
      }),
    () => this.#changed(),
  );
  #builtKey?: string;
  #lostReason = '';
  /** The config the worker has now. */
  #sent?: TrainConfig;
  #configTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #label: () => string;

  constructor(host: ReactiveControllerHost, label: () => string) {
    this.#host = host;
    this.#label = label;
    host.addController(this);
  }

  get run(): RunData {
    return this.history.run;
  }

  get archive(): RunData[] {
    return this.history.archive;
  }

  /** Bumped whenever curves change (the chart appends what is new). */
  get revision(): number {
    return this.history.revision;
  }

  /** The last checkpoint fetched from the worker (for "Restore last saved weights"). */
  get kept(): KeptCheckpoint | undefined {
    return this.#keeper.kept;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#unlisten?.();
    if (this.#configTimer !== undefined) clearTimeout(this.#configTimer);
    this.waits.dispose();
  }

  attach(client: EngineClient): void {
    this.#unlisten?.();
    this.#commands.attach(client);
    this.#unlisten = client.listen((e) => this.#onEvent(e));
  }

  get built(): boolean {
    return this.#builtKey !== undefined;
  }

  get active(): boolean {
    return this.phase === 'running' || this.phase === 'stepping' || this.phase === 'building';
  }

  /** True when Train would start a new run (the design, batch, dataset, seed or subset changed). */
  needsBuild(doc: ConvplayDocument): boolean {
    return this.#builtKey !== buildKey(doc, this.subset);
  }

  train(doc: ConvplayDocument): Promise<void> {
    return this.#commands.enqueue(async (c) => {
      await this.#ensureBuilt(c, doc);
      await this.#sync(c, doc.train);
      this.phase = 'running';
      this.message = '';
      this.rollback = undefined;
      this.#changed();
      await c.request({ type: 'train' });
    });
  }

  pause(): Promise<void> {
    return this.#commands.enqueue(async (c) => {
      if (!this.built) return;
      await c.request({ type: 'pause' });
    });
  }

  step(doc: ConvplayDocument): Promise<void> {
    return this.#commands.enqueue(async (c) => {
      await this.#ensureBuilt(c, doc);
      await this.#sync(c, doc.train);
      this.phase = 'stepping';
      this.message = '';
      this.rollback = undefined;
      this.#changed();
      await c.request({ type: 'step', count: 1 });
    });
  }

  /** Fresh weights, step 0; the run so far is kept on the chart for comparison. */
  reset(doc: ConvplayDocument): Promise<void> {
    return this.#commands.enqueue(async (c) => {
      if (!this.built || this.needsBuild(doc)) {
        await this.#build(c, doc);
        return;
      }
      await this.#sync(c, doc.train);
      await c.request({ type: 'reset' });
      this.#startRun();
      this.phase = 'idle';
      this.message = '';
      this.#changed();
    });
  }

  /** The settings changed: learning rate and the like apply to the running run (debounced). */
  configChanged(doc: ConvplayDocument): void {
    if (this.#configTimer !== undefined) clearTimeout(this.#configTimer);
    this.#configTimer = setTimeout(() => {
      this.#configTimer = undefined;
      if (!this.built || this.needsBuild(doc) || validateTrainConfig(doc.train).length > 0) return;
      if (JSON.stringify(doc.train) === JSON.stringify(this.#sent)) return;
      void this.#commands.enqueue((c) => this.#sync(c, doc.train));
    }, 350);
  }

  /** The worker's state as a .safetensors file (runs in turn with the other commands). */
  exportCheckpoint(includeOptimizer: boolean): Promise<KeptCheckpoint> {
    return this.#commands.exclusive(async (c) => {
      if (!this.built) throw new Error('nothing to save yet: press Train or Step first, so that the network is built');
      const r = await c.request({ type: 'export-checkpoint', includeOptimizer });
      return { bytes: r.bytes, step: r.step };
    });
  }

  /** Class probabilities of every test image from the built network. */
  predictTestSet() {
    return this.#commands.exclusive(async (c) => {
      if (!this.built) throw new Error('nothing to predict with yet: press Train or Step first, so that the network is built');
      return c.request({ type: 'predict-test-set' });
    });
  }

  /**
   * Loads a checkpoint file: its design, config, weights (and optimizer state) replace the built ones,
   * and training goes on from its step. A refused file rejects with the reason and changes nothing.
   */
  importCheckpoint(bytes: Uint8Array): Promise<{ doc: ConvplayDocument; step: number; hasOptimizer: boolean }> {
    return this.#commands.exclusive(async (c) => {
      // The worker parses the file (a refused one changes nothing there) and builds its design, with the
      // file's number of training images (older files: this page's).
      const before = { phase: this.phase, message: this.message };
      this.phase = 'building';
      this.message = '';
      this.waits.buildStarted();
      this.#changed();
      let r;
      try {
        r = await c.request({ type: 'import-checkpoint', bytes: bytes.slice(), ...(this.subset !== null && { subset: this.subset }) });
      } catch (e) {
        Object.assign(this, before);
        this.#changed();
        throw e;
      } finally {
        this.waits.buildEnded();
      }
      this.times.reset();
      const subset = r.subset;
      this.subset = subset;
      this.#builtKey = buildKey(r.doc, subset);
      this.builtSpec = r.doc.spec;
      this.builtDataset = r.doc.train.dataset;
      this.#sent = r.doc.train;
      this.#startRun();
      const { step, stepsPerEpoch, totalSteps } = r;
      this.status = {
        ...(this.status ?? { samplesPerSecond: 0, msPerStep: 0 }),
        step, epoch: Math.floor(step / stepsPerEpoch), stepInEpoch: step % stepsPerEpoch, stepsPerEpoch,
        totalSteps, lr: r.doc.train.optimizer.lr,
      };
      if (step > 0) this.history.mark(step, `loaded from a file at step ${step}`);
      this.phase = step > 0 ? 'paused' : 'idle';
      this.message = `Loaded a checkpoint at step ${step}${r.hasOptimizer ? ' (with optimizer state)' : ''}.`;
      this.#keeper.set({ bytes: bytes.slice(), step });
      this.#changed();
      return r;
    });
  }

  /** The worker was restarted (after a crash): nothing is built any more; the curves stay. */
  workerRestarted(): void {
    this.#builtKey = undefined;
    this.builtSpec = undefined;
    this.builtDataset = undefined;
    this.#sent = undefined;
    this.status = undefined;
    this.phase = 'idle';
    this.message = '';
    this.#changed();
  }

  /** The user's dataset was replaced or deleted: a network built on it is gone in the worker too. */
  dataReplaced(dataset: TrainConfig['dataset']): void {
    if (this.builtDataset === dataset) this.workerRestarted();
  }

  /** Fetches a checkpoint into memory when something is built; `force`: even if one was fetched a moment ago. */
  #keep(force: boolean): void {
    if (this.built) this.#keeper.keep(force);
  }

  async #ensureBuilt(c: EngineClient, doc: ConvplayDocument): Promise<void> {
    if (this.needsBuild(doc)) await this.#build(c, doc);
  }

  async #build(c: EngineClient, doc: ConvplayDocument): Promise<void> {
    this.phase = 'building';
    this.message = '';
    this.#changed();
    const key = buildKey(doc, this.subset);
    this.#builtKey = undefined;
    this.waits.buildStarted();
    const r = await c.request({ type: 'build', spec: doc.spec, config: doc.train, ...(this.subset !== null && { subset: this.subset }) }).finally(() => this.waits.buildEnded());
    this.#builtKey = key;
    this.times.reset();
    this.builtSpec = doc.spec;
    this.builtDataset = doc.train.dataset;
    this.#sent = doc.train;
    this.#startRun();
    this.status = { step: 0, epoch: 0, stepInEpoch: 0, stepsPerEpoch: r.stepsPerEpoch, totalSteps: r.totalSteps, lr: doc.train.optimizer.lr, samplesPerSecond: 0, msPerStep: 0, memory: r.memory, params: r.params };
    this.phase = 'idle';
    this.#changed();
  }

  /** Sends set-config when the worker's config differs; marks the change on the chart. */
  async #sync(c: EngineClient, config: TrainConfig): Promise<void> {
    const before = this.#sent;
    if (!before || JSON.stringify(before) === JSON.stringify(config)) return;
    const reply = await c.request({ type: 'set-config', config });
    this.#sent = config;
    const step = this.status?.step ?? 0;
    // The status line shows the rate the next step uses, not the one of the last readback.
    if (this.status) this.status = { ...this.status, lr: reply.lr };
    if (before.epochs !== config.epochs && this.status) {
      this.status = { ...this.status, totalSteps: this.status.stepsPerEpoch * config.epochs };
    }
    if (this.run.points.length > 0 || step > 0) this.history.mark(step, describeChange(before, config));
    if (this.phase === 'finished' && this.status && this.status.step < this.status.totalSteps) this.phase = 'paused';
    this.#changed();
  }

  #startRun(): void {
    this.history.startRun(this.#label());
    this.evaluation = undefined;
    if (this.status) this.status = { ...this.status, step: 0, epoch: 0, stepInEpoch: 0 };
  }

  #onEvent(e: WorkerEvent): void {
    // Replies to requests: their callers handle them.
    if (isReply(e)) return;
    switch (e.type) {
      case 'progress': {
        this.history.addPoints(e.points);
        const key = this.#builtKey;
        this.times.askOnce(this.#commands, () => this.#builtKey === key, () => this.#changed());
        this.status = { ...this.status, step: e.step, epoch: e.epoch, stepInEpoch: e.stepInEpoch, stepsPerEpoch: e.stepsPerEpoch, totalSteps: e.totalSteps, lr: e.lr, samplesPerSecond: e.samplesPerSecond, msPerStep: e.msPerStep, memory: e.memory };
        this.#changed();
        return;
      }
      case 'build-progress':
        this.waits.onBuildProgress(e);
        return;
      case 'eval-progress':
        this.waits.onEvalProgress(e);
        return;
      case 'epoch-end':
        this.waits.evalEnded(e.evalMs);
        this.history.addEval({ epoch: e.epoch, step: e.step, loss: e.testLoss, accuracy: e.testAccuracy });
        this.evaluation = { epoch: e.epoch, loss: e.testLoss, accuracy: e.testAccuracy, confusion: e.confusion, ...(e.predictions && { predictions: e.predictions }) };
        this.#keep(false);
        this.#changed();
        return;
      case 'paused':
        this.waits.evalEnded();
        this.phase = e.reason === 'finished' ? 'finished' : e.reason === 'diverged' ? 'diverged' : 'paused';
        this.message = e.message;
        // e.step is where training now stands (after a divergence: the step the worker went back to).
        if (this.status) {
          const per = this.status.stepsPerEpoch;
          this.status = { ...this.status, step: e.step, ...(per > 0 && { epoch: Math.floor(e.step / per), stepInEpoch: e.step % per }) };
        }
        if (e.reason === 'device-lost') this.history.rewind(e.step);
        if (e.rollback) {
          this.rollback = e.rollback;
          this.history.rollBack(e.rollback);
        }
        this.#keep(true);
        this.#changed();
        return;
      case 'device-lost':
        // The worker acquires a new device, re-plans the same network and restores the last good
        // weights ('paused' then 'recovered' follow); until then nothing runs.
        this.#lostReason = [e.reason, e.message].filter(Boolean).join(': ');
        this.phase = 'error';
        this.message = `The GPU device was lost (${e.reason || 'unknown reason'}${e.message ? `: ${e.message}` : ''}). Recovering…`;
        this.#changed();
        return;
      case 'recovered':
        this.recovery = { step: e.step, reason: this.#lostReason, message: e.message };
        if (this.phase === 'error') {
          this.phase = this.built ? 'paused' : 'idle';
          this.message = this.built ? `Recovered at step ${e.step}. Press Train to continue.` : '';
        }
        this.#changed();
        return;
      case 'worker-crashed':
        this.phase = 'error';
        this.message = e.message;
        this.#builtKey = undefined;
        this.builtSpec = undefined;
        this.builtDataset = undefined;
        this.#changed();
        return;
      case 'error':
        if (e.replyTo === undefined) {
          this.phase = 'error';
          this.message = e.message;
          this.#changed();
        }
        return;
      // Progress of waits other controllers show.
      case 'data-progress':
      case 'import-progress':
        return;
      default:
        return e satisfies never;
    }
  }

  #changed(): void {
    this.#host.requestUpdate();
  }
}

/** A reply to one request (its `replyTo` is required; an error may be one or stand alone). */
function isReply(e: WorkerEvent): e is Extract<WorkerEvent, { replyTo: number }> {
  return e.type !== 'error' && 'replyTo' in e;
}
