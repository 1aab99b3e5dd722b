// Why: <cp-app>'s handle on a training run. It turns the buttons into protocol commands (build only
// when the design or batch/dataset/seed changed, set-config for settings that can change mid-run),
// keeps the curves of this run and of the runs before it, and the numbers the status line shows.
// Commands are queued one after another, so a quick Train–Pause–Step never races in the worker.
// It also keeps the last checkpoint in memory (fetched at epoch ends and pauses), so that a crashed
// worker can be restarted and the weights restored, and it loads checkpoint files.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { fromSafetensors } from '../../export';
import { validateTrainConfig, type ConvplayDocument, type NetworkSpec, type TrainConfig } from '../../model';
import type { EngineClient } from '../../worker/engine-client';
import type { MemoryReport, WorkerEvent } from '../../worker/protocol';
import { Ema } from '../smooth';

export type TrainPhase = 'idle' | 'building' | 'running' | 'stepping' | 'paused' | 'finished' | 'diverged' | 'error';

export interface CurvePoint {
  step: number;
  loss: number;
  smooth: number;
  accuracy: number;
}

export interface EvalPoint {
  epoch: number;
  step: number;
  loss: number;
  accuracy: number;
}

export interface Marker {
  step: number;
  label: string;
}

/** One run's curves: append-only while it runs, frozen once archived. */
export interface RunData {
  id: number;
  label: string;
  points: CurvePoint[];
  evals: EvalPoint[];
  markers: Marker[];
}

export interface TrainStatus {
  step: number;
  epoch: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  lr: number;
  samplesPerSecond: number;
  msPerStep: number;
  memory?: MemoryReport;
  params?: number;
}

/** A checkpoint file held in memory (the worker's state at `step`). */
export interface KeptCheckpoint {
  bytes: Uint8Array;
  step: number;
}

/** After a lost GPU device: the step whose weights the worker restored. */
export interface Recovery {
  step: number;
  /** Why the device was lost, as the browser said. */
  reason: string;
  /** The worker's account of the recovery. */
  message: string;
}

/** How often (at most) an epoch end refreshes the in-memory checkpoint; pauses always do. */
export const KEEP_CHECKPOINT_MS = 5000;

export interface Evaluation {
  epoch: number | null;
  loss: number;
  accuracy: number;
  confusion: Uint32Array;
  /** Predicted class of every test image, when the worker sends them. */
  predictions?: Uint8Array;
}

/** The fields that define a run: changing any of them needs a new build. */
export function buildKey(doc: ConvplayDocument, subset: number | null): string {
  const t = doc.train;
  return JSON.stringify({ spec: doc.spec, dataset: t.dataset, batch: t.batch, seed: t.seed, init: t.init ?? 'pytorch', subset });
}

/** What changed between two configs, for the chart's marker: "lr 0.001 → 0.01". */
export function describeChange(a: TrainConfig, b: TrainConfig): string {
  const parts: string[] = [];
  const o1 = a.optimizer, o2 = b.optimizer;
  if (o1.kind !== o2.kind) parts.push(`optimizer ${o2.kind}`);
  if (o1.lr !== o2.lr) parts.push(`lr ${o1.lr} → ${o2.lr}`);
  if ((o1.momentum ?? 0) !== (o2.momentum ?? 0)) parts.push(`momentum ${o2.momentum ?? 0}`);
  if (!!o1.nesterov !== !!o2.nesterov) parts.push(o2.nesterov ? 'Nesterov on' : 'Nesterov off');
  if ((o1.weightDecay ?? 0) !== (o2.weightDecay ?? 0)) parts.push(`weight decay ${o2.weightDecay ?? 0}`);
  if (JSON.stringify(a.schedule) !== JSON.stringify(b.schedule)) parts.push(`schedule ${b.schedule.kind}`);
  if (a.epochs !== b.epochs) parts.push(`epochs ${b.epochs}`);
  return parts.join(', ') || 'settings changed';
}

export class TrainingController implements ReactiveController {
  phase: TrainPhase = 'idle';
  /** The worker's message for a pause, a divergence or an error. */
  message = '';
  status?: TrainStatus;
  run: RunData;
  archive: RunData[] = [];
  /** Bumped whenever curves change (the chart appends what is new). */
  revision = 0;
  evaluation?: Evaluation;
  /** Training images per run (null: the whole training set). */
  subset: number | null = null;
  /** The network the worker has built (inspect and weights name its layers). */
  builtSpec?: NetworkSpec;
  builtDataset?: TrainConfig['dataset'];
  /** The last checkpoint fetched from the worker (for "Restore last saved weights"). */
  kept?: KeptCheckpoint;
  /** Set when the worker recovered from a lost GPU device (cleared by the page). */
  recovery?: Recovery;

  readonly #host: ReactiveControllerHost;
  #client?: EngineClient;
  #unlisten?: () => void;
  #queue: Promise<void> = Promise.resolve();
  #builtKey?: string;
  /** The subset the worker's network was built with. */
  #builtSubset: number | null = null;
  #lostReason = '';
  #keeping = false;
  #keepAgain = false;
  #keptAt = 0;
  /** The config the worker has now. */
  #sent?: TrainConfig;
  #ema = new Ema(0.9);
  #nextRun = 1;
  #configTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #label: () => string;

  constructor(host: ReactiveControllerHost, label: () => string) {
    this.#host = host;
    this.#label = label;
    this.run = this.#newRun();
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#unlisten?.();
    if (this.#configTimer !== undefined) clearTimeout(this.#configTimer);
  }

  attach(client: EngineClient): void {
    this.#unlisten?.();
    this.#client = client;
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
    return this.#enqueue(async (c) => {
      await this.#ensureBuilt(c, doc);
      await this.#sync(c, doc.train);
      this.phase = 'running';
      this.message = '';
      this.#changed();
      await c.request({ type: 'train' });
    });
  }

  pause(): Promise<void> {
    return this.#enqueue(async (c) => {
      if (!this.built) return;
      await c.request({ type: 'pause' });
    });
  }

  step(doc: ConvplayDocument): Promise<void> {
    return this.#enqueue(async (c) => {
      await this.#ensureBuilt(c, doc);
      await this.#sync(c, doc.train);
      this.phase = 'stepping';
      this.message = '';
      this.#changed();
      await c.request({ type: 'step', count: 1 });
    });
  }

  /** Fresh weights, step 0; the run so far is kept on the chart for comparison. */
  reset(doc: ConvplayDocument): Promise<void> {
    return this.#enqueue(async (c) => {
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
      void this.#enqueue((c) => this.#sync(c, doc.train));
    }, 350);
  }

  /** The worker's state as a .safetensors file (runs in turn with the other commands). */
  exportCheckpoint(includeOptimizer: boolean): Promise<KeptCheckpoint> {
    return this.#exclusive(async (c) => {
      if (!this.built) throw new Error('nothing to save yet: press Train or Step first, so that the network is built');
      const r = await c.request({ type: 'export-checkpoint', includeOptimizer });
      return { bytes: r.bytes, step: r.step };
    });
  }

  /** Class probabilities of every test image from the built network. */
  predictTestSet() {
    return this.#exclusive(async (c) => {
      if (!this.built) throw new Error('nothing to predict with yet: press Train or Step first, so that the network is built');
      return c.request({ type: 'predict-test-set' });
    });
  }

  /**
   * Loads a checkpoint file: its design, config, weights (and optimizer state) replace the built ones,
   * and training goes on from its step. A refused file rejects with the reason and changes nothing.
   */
  importCheckpoint(bytes: Uint8Array): Promise<{ doc: ConvplayDocument; step: number; hasOptimizer: boolean }> {
    return this.#exclusive(async (c) => {
      if (!this.built) {
        // Nothing is built (a fresh page, a restarted worker): build the file's design first, so the
        // network uses this page's training-image subset. Checked here first, so a bad file builds nothing.
        const ckpt = fromSafetensors(bytes);
        await this.#build(c, ckpt.doc);
      }
      const r = await c.request({ type: 'import-checkpoint', bytes: bytes.slice() });
      const subset = this.#builtSubset;
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
      if (step > 0) this.run.markers.push({ step, label: `loaded from a file at step ${step}` });
      this.phase = step > 0 ? 'paused' : 'idle';
      this.message = `Loaded a checkpoint at step ${step}${r.hasOptimizer ? ' (with optimizer state)' : ''}.`;
      this.kept = { bytes: bytes.slice(), step };
      this.#keptAt = Date.now();
      this.revision++;
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

  /** Fetches a checkpoint into memory; `force`: even if one was fetched a moment ago. */
  #keep(force: boolean): void {
    if (!this.built) return;
    if (!force && Date.now() - this.#keptAt < KEEP_CHECKPOINT_MS) return;
    if (this.#keeping) {
      this.#keepAgain = true;
      return;
    }
    this.#keeping = true;
    this.#keptAt = Date.now();
    // The file names its own design, so even if the network is rebuilt meanwhile it stays a faithful
    // copy of what was trained.
    this.exportCheckpoint(true)
      .then((k) => {
        this.kept = k;
        this.#changed();
      })
      .catch(() => undefined)
      .finally(() => {
        this.#keeping = false;
        if (this.#keepAgain) {
          this.#keepAgain = false;
          this.#keep(true);
        }
      });
  }

  /** Runs after the queued commands; rejects with the error (the training phase is left alone). */
  #exclusive<T>(work: (c: EngineClient) => Promise<T>): Promise<T> {
    const client = this.#client;
    if (!client) return Promise.reject(new Error('the engine is not running'));
    const result = this.#queue.then(() => work(client));
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  #enqueue(work: (c: EngineClient) => Promise<void>): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.resolve();
    const next = this.#queue.then(() => work(client)).catch((e: unknown) => {
      this.phase = 'error';
      this.message = e instanceof Error ? e.message : String(e);
      this.#changed();
    });
    this.#queue = next;
    return next;
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
    const r = await c.request({ type: 'build', spec: doc.spec, config: doc.train, ...(this.subset !== null && { subset: this.subset }) });
    this.#builtKey = key;
    this.#builtSubset = this.subset;
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
    await c.request({ type: 'set-config', config });
    this.#sent = config;
    const step = this.status?.step ?? 0;
    if (before.epochs !== config.epochs && this.status) {
      this.status = { ...this.status, totalSteps: this.status.stepsPerEpoch * config.epochs };
    }
    if (this.run.points.length > 0 || step > 0) {
      this.run.markers.push({ step, label: describeChange(before, config) });
      this.revision++;
    }
    if (this.phase === 'finished' && this.status && this.status.step < this.status.totalSteps) this.phase = 'paused';
    this.#changed();
  }

  #newRun(): RunData {
    return { id: this.#nextRun++, label: '', points: [], evals: [], markers: [] };
  }

  #startRun(): void {
    if (this.run.points.length > 0) this.archive = [...this.archive, this.run].slice(-5);
    this.run = this.#newRun();
    this.run.label = `Run ${this.run.id}: ${this.#label()}`;
    this.#ema = new Ema(0.9);
    this.evaluation = undefined;
    if (this.status) this.status = { ...this.status, step: 0, epoch: 0, stepInEpoch: 0 };
    this.revision++;
  }

  #onEvent(e: WorkerEvent): void {
    switch (e.type) {
      case 'progress': {
        for (const p of e.points) this.run.points.push({ step: p.step, loss: p.loss, smooth: this.#ema.push(p.loss), accuracy: p.accuracy });
        this.status = { ...this.status, step: e.step, epoch: e.epoch, stepInEpoch: e.stepInEpoch, stepsPerEpoch: e.stepsPerEpoch, totalSteps: e.totalSteps, lr: e.lr, samplesPerSecond: e.samplesPerSecond, msPerStep: e.msPerStep, memory: e.memory };
        this.revision++;
        this.#changed();
        return;
      }
      case 'epoch-end':
        this.run.evals.push({ epoch: e.epoch, step: e.step, loss: e.testLoss, accuracy: e.testAccuracy });
        this.evaluation = { epoch: e.epoch, loss: e.testLoss, accuracy: e.testAccuracy, confusion: e.confusion, ...(e.predictions && { predictions: e.predictions }) };
        this.revision++;
        this.#keep(false);
        this.#changed();
        return;
      case 'paused':
        this.phase = e.reason === 'finished' ? 'finished' : e.reason === 'diverged' ? 'diverged' : 'paused';
        this.message = e.message;
        // After a divergence the worker restored an earlier step's weights; e.step is where it broke.
        if (this.status && e.reason !== 'diverged') this.status = { ...this.status, step: e.step };
        if (e.reason === 'device-lost') this.#rewind(e.step);
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
      default:
        return;
    }
  }

  /** The worker went back to `step` (a lost device): drop the curve beyond it and mark the spot. */
  #rewind(step: number): void {
    const r = this.run;
    const keep = <T extends { step: number }>(list: T[]) => list.splice(0, list.length, ...list.filter((p) => p.step <= step));
    keep(r.points);
    keep(r.evals);
    keep(r.markers);
    r.markers.push({ step, label: `GPU device lost: restored step ${step}` });
    this.#ema = new Ema(0.9);
    for (const p of r.points) this.#ema.push(p.loss);
    this.revision++;
  }

  #changed(): void {
    this.#host.requestUpdate();
  }
}
