// Why: the curves a learner compares: this run's loss points, test evaluations and markers, and the
// runs before it (archived, frozen). Kept apart from the phase machine so that the chart's data has
// one owner and one way to change (each change bumps `revision`, so the chart appends what is new).
import type { TrainConfig } from '../../model';
import type { RollbackReport, StepPoint } from '../../worker/protocol';
import { Ema } from '../smooth';

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

/** A stretch the worker threw away after it diverged: from the restored step to the step that broke. */
export interface DivergedStretch {
  from: number;
  to: number;
  /** Its losses (the chart marks them instead of plotting them: they would flatten the healthy curve). */
  points: { step: number; loss: number }[];
}

/** One run's curves: append-only while it runs, frozen once archived. */
export interface RunData {
  id: number;
  label: string;
  points: CurvePoint[];
  evals: EvalPoint[];
  markers: Marker[];
  diverged: DivergedStretch[];
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

export class RunHistory {
  run: RunData;
  archive: RunData[] = [];
  /** Bumped whenever curves change (the chart appends what is new). */
  revision = 0;
  #ema = new Ema(0.9);
  #nextRun = 1;

  constructor() {
    this.run = this.#newRun();
  }

  #newRun(): RunData {
    return { id: this.#nextRun++, label: '', points: [], evals: [], markers: [], diverged: [] };
  }

  /** Archives the current run (when it has points) and starts an empty one named `label`. */
  startRun(label: string): void {
    if (this.run.points.length > 0) this.archive = [...this.archive, this.run].slice(-5);
    this.run = this.#newRun();
    this.run.label = `Run ${this.run.id}: ${label}`;
    this.#ema = new Ema(0.9);
    this.revision++;
  }

  addPoints(points: readonly StepPoint[]): void {
    for (const p of points) this.run.points.push({ step: p.step, loss: p.loss, smooth: this.#ema.push(p.loss), accuracy: p.accuracy });
    this.revision++;
  }

  addEval(point: EvalPoint): void {
    this.run.evals.push(point);
    this.revision++;
  }

  mark(step: number, label: string): void {
    this.run.markers.push({ step, label });
    this.revision++;
  }

  /** The worker went back to `step` (a lost device): drop the curve beyond it and mark the spot. */
  rewind(step: number): void {
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

  /** The worker threw a diverged stretch away: move it off the curve into a marked stretch. */
  rollBack(r: RollbackReport): void {
    const run = this.run;
    const thrown = run.points.filter((p) => p.step > r.restoredStep).map((p) => ({ step: p.step, loss: p.loss }));
    const seen = new Set(thrown.map((p) => p.step));
    const points = [...thrown, ...r.points.filter((p) => p.step > r.restoredStep && !seen.has(p.step)).map((p) => ({ step: p.step, loss: p.loss }))];
    run.points.splice(0, run.points.length, ...run.points.filter((p) => p.step <= r.restoredStep));
    run.evals.splice(0, run.evals.length, ...run.evals.filter((p) => p.step <= r.restoredStep));
    run.diverged.push({ from: r.restoredStep, to: r.brokeAt, points });
    this.#ema = new Ema(0.9);
    for (const p of run.points) this.#ema.push(p.loss);
    this.revision++;
  }
}
