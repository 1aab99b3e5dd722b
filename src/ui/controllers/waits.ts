// Why: the page must never go silent. The two long waits of a run, building the network (pipelines
// compiled, then planning; up to a minute on a CPU adapter) and the end-of-epoch evaluation of the test
// set (a minute on a CPU adapter, while the step counter stands still), are followed here from the
// worker's progress events, with the time since they began (a one-second tick keeps it moving between
// events), and the last evaluation's duration feeds "Time left".
import type { BuildStage, WorkerEvent } from '../../worker/protocol';

export interface BuildWait {
  stage: BuildStage;
  compiled: number;
  /** Pipelines this build compiles in all (undefined until counted, or when they could not be). */
  total?: number;
  kernel: string;
  startedAt: number;
}

export interface EvalWait {
  done: number;
  total: number;
  startedAt: number;
}

export class Waits {
  build?: BuildWait;
  evaluation?: EvalWait;
  /** How long the last whole evaluation took (ms); undefined before the first. */
  lastEvalMs?: number;
  #tick: ReturnType<typeof setInterval> | undefined;
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  buildStarted(): void {
    this.build = { stage: 'data', compiled: 0, kernel: '', startedAt: performance.now() };
    this.#ticking();
  }

  buildEnded(): void {
    this.build = undefined;
    this.#ticking();
  }

  onBuildProgress(e: Extract<WorkerEvent, { type: 'build-progress' }>): void {
    if (!this.build) return;
    this.build = { ...this.build, stage: e.stage, compiled: e.compiled, total: e.total ?? this.build.total, kernel: e.kernel || this.build.kernel };
    this.#changed();
  }

  onEvalProgress(e: Extract<WorkerEvent, { type: 'eval-progress' }>): void {
    this.evaluation = { done: e.done, total: e.total, startedAt: performance.now() - e.elapsedMs };
    this.#ticking();
    this.#changed();
  }

  /** An evaluation ended (its duration, when known) or was cut short (a pause, an error). */
  evalEnded(ms?: number): void {
    if (ms !== undefined) this.lastEvalMs = ms;
    this.evaluation = undefined;
    this.#ticking();
  }

  /** Milliseconds still to wait for an evaluation under way, estimated from its pace so far. */
  evalLeftMs(): number | null {
    const ev = this.evaluation;
    if (!ev) return null;
    const elapsed = performance.now() - ev.startedAt;
    if (ev.done > 0) return (elapsed / ev.done) * (ev.total - ev.done);
    return this.lastEvalMs !== undefined ? Math.max(0, this.lastEvalMs - elapsed) : null;
  }

  dispose(): void {
    if (this.#tick !== undefined) clearInterval(this.#tick);
    this.#tick = undefined;
  }

  #ticking(): void {
    const on = !!this.build || !!this.evaluation;
    if (on && this.#tick === undefined) this.#tick = setInterval(() => this.#changed(), 1000);
    else if (!on) this.dispose();
  }
}
