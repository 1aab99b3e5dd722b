// Why: <cp-app>'s handle on a training run. It turns the buttons into protocol commands (build only
// when the design or batch/dataset/seed changed, set-config for settings that can change mid-run),
// keeps the curves of this run and of the runs before it, and the numbers the status line shows.
// Commands are queued one after another, so a quick Train–Pause–Step never races in the worker.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
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
  return JSON.stringify({ spec: doc.spec, dataset: t.dataset, batch: t.batch, seed: t.seed, subset });
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

  readonly #host: ReactiveControllerHost;
  #client?: EngineClient;
  #unlisten?: () => void;
  #queue: Promise<void> = Promise.resolve();
  #builtKey?: string;
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
        this.#changed();
        return;
      case 'paused':
        this.phase = e.reason === 'finished' ? 'finished' : e.reason === 'diverged' ? 'diverged' : e.reason === 'device-lost' ? 'error' : 'paused';
        this.message = e.message;
        // After a divergence the worker restored an earlier step's weights; e.step is where it broke.
        if (this.status && e.reason !== 'diverged') this.status = { ...this.status, step: e.step };
        this.#changed();
        return;
      case 'device-lost':
        this.phase = 'error';
        this.message = `The GPU was lost (${e.reason}): ${e.message}. Reload the page to start again.`;
        this.#builtKey = undefined;
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

  #changed(): void {
    this.#host.requestUpdate();
  }
}
