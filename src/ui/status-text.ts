// Why: every sentence the page says about its state, in one place, so that the hint, the status line
// and the buttons are computed from the same facts and never contradict each other.
import { html, nothing } from 'lit';
import { fmt, type ConvplayDocument } from '../model';
import { bytesLabel } from './components/cp-layer-inspector';
import type { ButtonState } from './components/cp-train-controls';
import type { GpuState } from './controllers/engine-controller';
import type { DesignStore } from './controllers/design-store';
import type { TrainingController, TrainPhase } from './controllers/training-controller';
import { invalidNote } from './controllers/invalid-entries';
import type { InvalidEntry } from './events';
import type { BuildWait, EvalWait } from './controllers/waits';
import type { BuildStage } from '../worker/protocol';
import { BUILD_STAGES, buildBar, pipelinesText } from './build-progress-text';

export function adapterText(gpu: GpuState): string {
  switch (gpu.kind) {
    case 'starting':
      return 'Starting the GPU…';
    case 'ready': {
      const a = gpu.adapter;
      const name = [a.vendor, a.architecture].filter(Boolean).join(' · ') || a.description || 'unknown adapter';
      return `GPU: ${name}${a.isSoftware ? ' (software)' : ''}`;
    }
    case 'unavailable':
      return 'GPU: unavailable';
    default:
      return gpu satisfies never;
  }
}

export function canTrain(gpu: GpuState, store: DesignStore): boolean {
  return gpu.kind === 'ready' && store.readiness.ok;
}

export function blockedReason(gpu: GpuState, store: DesignStore): string {
  const r = store.readiness;
  if (!r.ok) return r.reason;
  if (gpu.kind === 'starting') return 'waiting for the GPU to start.';
  if (gpu.kind === 'unavailable') return 'WebGPU is unavailable in this browser (see the message above).';
  return '';
}

export function buttons(t: TrainingController, can: boolean): ButtonState {
  return { train: can && !t.active, pause: t.phase === 'running', step: can && !t.active, reset: t.built && t.phase !== 'building' };
}

/** The line under Train: what pressing it will do, after what is wrong with any box. */
export function hint(t: TrainingController, doc: ConvplayDocument, invalid: readonly InvalidEntry[]): string {
  const note = invalidNote(invalid);
  const phase = phaseHint(t, doc, invalid.length > 0);
  return note ? `${note} ${phase}` : phase;
}

function phaseHint(t: TrainingController, doc: ConvplayDocument, anyInvalid: boolean): string {
  const data = doc.train.dataset === 'mnist' ? 'MNIST' : doc.train.dataset === 'own' ? 'your images' : 'Fashion-MNIST';
  switch (t.phase) {
    case 'building':
      return `Building the network on the GPU: ${buildStageText(t)}…`;
    case 'running':
      return 'Training… change the learning rate or the schedule at any time; the chart marks the change.';
    case 'stepping':
      return 'One step…';
    case 'finished':
      return `${t.message} Raise Epochs and press Train to go on, or Reset to start again.`;
    case 'idle':
    case 'paused':
    case 'diverged':
    case 'error':
      if (t.built && t.needsBuild(doc)) return 'The design (or batch size, dataset, seed, training images) changed: Train starts a new run; this one stays on the chart.';
      if (t.phase === 'paused') return `${t.message} Train resumes.`;
      if (anyInvalid) return t.built ? `Train runs on ${data}.` : `Train builds it and runs on ${data}.`;
      return t.built ? `Ready: Train runs on ${data}.` : `The design fits: ready to train on ${data}.`;
    default:
      return t.phase satisfies never;
  }
}

const STAGES: Record<BuildStage, string> = {
  data: 'putting the dataset on the GPU',
  planning: 'compiling GPU pipelines and planning every pass',
  finishing: 'keeping the starting weights',
};

function buildStageText(t: TrainingController): string {
  return STAGES[t.waits.build?.stage ?? 'data'];
}

/** Seconds left: the steps still to run, and the test-set evaluations at the end of each epoch still to come. */
export function timeLeft(t: TrainingController): number | null {
  const st = t.status;
  const evalLeft = t.waits.evalLeftMs();
  if (!st || st.msPerStep <= 0 || st.totalSteps <= st.step) return evalLeft === null ? null : evalLeft / 1000;
  const steps = (st.totalSteps - st.step) * st.msPerStep;
  // Before the first evaluation its cost is guessed: a forward pass costs about a third of a training step.
  const testImages = t.waits.evaluation?.total ?? 10_000;
  const perEval = t.waits.lastEvalMs ?? (st.samplesPerSecond > 0 ? (testImages * 1000) / st.samplesPerSecond / 3 : 0);
  const evalsLeft = st.stepsPerEpoch > 0 ? Math.ceil((st.totalSteps - st.step) / st.stepsPerEpoch) : 0;
  return (steps + evalsLeft * perEval + (evalLeft ?? 0)) / 1000;
}

export function statusLine(t: TrainingController, epochsSet: number) {
  const st = t.status;
  const phaseText: Record<TrainPhase, string> = { idle: t.built ? 'ready' : 'not built yet', building: 'building', running: 'training', stepping: 'stepping', paused: 'paused', finished: 'finished', diverged: 'diverged', error: 'stopped by an error' };
  const left = timeLeft(t);
  const pct = st && st.totalSteps > 0 ? Math.min(100, (st.step / st.totalSteps) * 100) : 0;
  const epochs = st && st.stepsPerEpoch > 0 ? Math.round(st.totalSteps / st.stepsPerEpoch) : epochsSet;
  const b = t.phase === 'building' ? t.waits.build : undefined;
  const ev = t.waits.evaluation;
  return html`<div class="status" role="status" aria-label="Training status" aria-live="off">
    <span>State: <b>${phaseText[t.phase]}</b></span>
    ${b ? buildStatus(b) : st
      ? html`<span>Step <b>${fmt(st.step)}</b> of ${fmt(st.totalSteps)}</span>
          <span>Epoch <b>${Math.min(epochs, st.epoch + 1)}</b> of ${epochs} (${fmt(st.stepInEpoch)}/${fmt(st.stepsPerEpoch)} steps)</span>
          <span><b>${fmt(Math.round(st.samplesPerSecond))}</b> samples/s</span>
          <span><b>${st.msPerStep.toFixed(1)}</b> ms/step</span>
          <span title="the steps still to run and the test-set evaluations at the end of each epoch">Time left: <b>${left === null ? '—' : formatSeconds(left)}</b></span>
          <span>lr <b>${st.lr.toPrecision(3)}</b></span>
          ${st.memory ? html`<span>GPU memory in use: <b>${bytesLabel(st.memory.bytesLive)}</b></span>` : nothing}
          ${st.params !== undefined ? html`<span>${fmt(st.params)} parameters</span>` : nothing}
          ${ev ? evalStatus(ev) : html`<div class="progress" aria-hidden="true"><span style=${`width:${pct.toFixed(1)}%`}></span></div>`}`
      : html`<span>${t.phase === 'error' ? 'Nothing is built.' : 'Press Train to build the network on the GPU.'}</span>`}
  </div>`;
}

function buildStatus(b: BuildWait) {
  const s = Math.floor((performance.now() - b.startedAt) / 1000);
  const i = BUILD_STAGES.indexOf(b.stage);
  const bar = buildBar(b);
  return html`<span>Building: <b>${STAGES[b.stage]}</b> (stage ${i + 1} of 3)</span>
    ${b.stage === 'data' ? html`<span>${s} s</span>` : html`<span aria-label="Pipelines compiled">${pipelinesText(b, s)}</span>`}
    <div class="progress building" role="progressbar" aria-label="Build progress" aria-valuemin="0" aria-valuemax=${bar.max} aria-valuenow=${bar.now} aria-valuetext=${bar.text}><span style=${`width:${((bar.now / bar.max) * 100).toFixed(1)}%`}></span></div>`;
}

function evalStatus(ev: EvalWait) {
  return html`<span class="evaluating">Evaluating test images <b>${fmt(ev.done)}</b> / ${fmt(ev.total)}</span>
    <div class="progress evaluating" role="progressbar" aria-label="Evaluation progress" aria-valuemin="0" aria-valuemax=${ev.total} aria-valuenow=${ev.done}><span style=${`width:${((ev.done / Math.max(1, ev.total)) * 100).toFixed(1)}%`}></span></div>`;
}

/** "1 min 05 s" for a time left. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "Loading MNIST: 4.2 MiB of 11.1 MiB…" while the dataset's files arrive. */
export function dataLoadText(bytes: { loaded: number; total: number } | undefined): string {
  if (!bytes) return 'Loading MNIST…';
  // A total below what has arrived (a file whose size was not known in advance) is not shown.
  return `Loading MNIST: ${bytesLabel(bytes.loaded)}${bytes.total >= bytes.loaded ? ` of ${bytesLabel(bytes.total)}` : ''}…`;
}
