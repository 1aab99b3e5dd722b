// Why: the training settings and the four buttons. Every box shows its own message for bad input
// (the last good value stays in force), good values go up as a new TrainConfig (the page puts it in
// the design, undoable and in the URL), and the buttons only ask: <cp-app> decides what to send.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fmt, INIT_SCHEMES, LIMITS, OPTIMIZER_KINDS, SCHEDULE_KINDS, validateTrainConfig, type Dataset, type InitScheme, type OptimizerKind, type ScheduleKind, type TrainConfig } from '../../model';
import { emit, type TrainAction } from '../events';
import { parseField, type NumberRule } from '../field-input';
import { controls, panel } from '../styles/shared';

const INIT_LABELS: Record<InitScheme, string> = { pytorch: 'PyTorch default', he: 'He (Kaiming normal)', glorot: 'Glorot (Xavier uniform)' };

interface TrainField {
  key: string;
  label: string;
  rule: NumberRule;
  get(c: TrainConfig): number | undefined;
  set(c: TrainConfig, v: number): TrainConfig;
  /** Shown only for some configs (momentum for SGD). */
  when?(c: TrainConfig): boolean;
}

const whole = (name: string, min: number, max: number): NumberRule => ({ name, whole: true, min, max });
const real = (name: string, min: number, max: number, extra: Partial<NumberRule> = {}): NumberRule => ({ name, whole: false, min, max, ...extra });
const opt = (c: TrainConfig, patch: Partial<TrainConfig['optimizer']>): TrainConfig => ({ ...c, optimizer: { ...c.optimizer, ...patch } });
const sched = (c: TrainConfig, patch: Partial<TrainConfig['schedule']>): TrainConfig => ({ ...c, schedule: { ...c.schedule, ...patch } });

const LR: TrainField = { key: 'optimizer.lr', label: 'Learning rate', rule: real('learning rate', 0, LIMITS.maxLr, { minOpen: true }), get: (c) => c.optimizer.lr, set: (c, v) => opt(c, { lr: v }) };
const MOMENTUM: TrainField = { key: 'optimizer.momentum', label: 'Momentum', rule: real('momentum', 0, 1, { maxOpen: true }), get: (c) => c.optimizer.momentum ?? 0, set: (c, v) => opt(c, { momentum: v }), when: (c) => c.optimizer.kind === 'sgd' };
const WARMUP: TrainField = { key: 'schedule.warmupSteps', label: 'Warm-up steps', rule: whole('warm-up steps', 0, LIMITS.maxSteps), get: (c) => c.schedule.warmupSteps ?? 0, set: (c, v) => sched(c, { warmupSteps: v }) };
const STEP_SIZE: TrainField = { key: 'schedule.stepSize', label: 'Step size', rule: whole('step size', 1, LIMITS.maxSteps), get: (c) => c.schedule.stepSize ?? 1000, set: (c, v) => sched(c, { stepSize: v }), when: (c) => c.schedule.kind === 'step' };
const GAMMA: TrainField = { key: 'schedule.gamma', label: 'Gamma', rule: real('gamma', 0, 1, { minOpen: true }), get: (c) => c.schedule.gamma ?? 0.5, set: (c, v) => sched(c, { gamma: v }), when: (c) => c.schedule.kind === 'step' };
const MIN_LR: TrainField = { key: 'schedule.minLr', label: 'Minimum learning rate', rule: real('minimum learning rate', 0, LIMITS.maxLr), get: (c) => c.schedule.minLr ?? 0, set: (c, v) => sched(c, { minLr: v }), when: (c) => c.schedule.kind === 'cosine' };
const BATCH: TrainField = { key: 'batch', label: 'Batch size', rule: whole('batch size', 1, LIMITS.maxBatch), get: (c) => c.batch, set: (c, v) => ({ ...c, batch: v }) };
const EPOCHS: TrainField = { key: 'epochs', label: 'Epochs', rule: whole('epochs', 1, LIMITS.maxEpochs), get: (c) => c.epochs, set: (c, v) => ({ ...c, epochs: v }) };
const DECAY: TrainField = { key: 'optimizer.weightDecay', label: 'Weight decay', rule: real('weight decay', 0, 1), get: (c) => c.optimizer.weightDecay ?? 0, set: (c, v) => opt(c, { weightDecay: v }) };
const SEED: TrainField = { key: 'seed', label: 'Seed', rule: whole('seed', 0, LIMITS.maxSeed), get: (c) => c.seed, set: (c, v) => ({ ...c, seed: v }) };

export const SUBSETS: readonly (number | null)[] = [null, 10_000, 1_000];

export interface ButtonState {
  train: boolean;
  pause: boolean;
  step: boolean;
  reset: boolean;
}

interface Draft {
  text: string;
  message: string;
  label: string;
}

@customElement('cp-train-controls')
export class CpTrainControls extends LitElement {
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      .buttons { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
      .buttons button { font-weight: 600; padding: 6px 12px; }
      .buttons button.primary { background: var(--cp-accent, #3b5bdb); color: #fff; border-color: var(--cp-accent, #3b5bdb); }
      .buttons button.primary:hover:not(:disabled) { color: #fff; filter: brightness(1.1); }
      .why { margin: 0 0 8px; font-size: 0.82rem; color: var(--cp-muted, #5c6270); }
      .why.blocked { color: var(--cp-error, #c92a2a); }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 6px 12px; }
      label.field { display: flex; flex-direction: column; gap: 2px; font-size: 0.78rem; color: var(--cp-muted, #5c6270); }
      label.field input, label.field select { width: 100%; box-sizing: border-box; font-variant-numeric: tabular-nums; }
      label.check { display: flex; gap: 6px; align-items: center; font-size: 0.82rem; align-self: end; }
      .msg { color: var(--cp-error, #c92a2a); font-size: 0.75rem; }
      .note { margin: 8px 0 0; font-size: 0.8rem; color: var(--cp-muted, #5c6270); }
      .alert { margin: 8px 0 0; padding: 8px 10px; border-radius: 8px; border: 1px solid #f0a0a0; background: #fff5f5; color: #8a1c1c; font-size: 0.85rem; }
      .alert .use-lr { margin-left: 6px; }
      .alert.info { border-color: #c5d0f0; background: #f3f6ff; color: #243b80; }
    `,
  ];

  @property({ attribute: false }) config?: TrainConfig;
  @property({ attribute: false }) buttons: ButtonState = { train: false, pause: false, step: false, reset: false };
  /** Why Train is off ('' when it is on). */
  @property() blocked = '';
  /** Shown under the buttons when Train is on: what pressing it does. */
  @property() hint = '';
  @property({ attribute: false }) subset: number | null = null;
  /** Which datasets can be loaded (false: the files are missing). */
  @property({ attribute: false }) datasets: Partial<Record<Dataset, boolean>> = { mnist: true };
  /** The user's dataset's name (when there is one). */
  @property() ownName = '';
  /** Training images in the chosen dataset (for "All (N)"). */
  @property({ type: Number }) trainCount = 60000;
  /** The run diverged: the worker's message (shown as an alert). */
  @property() diverged = '';
  /** After a divergence: the rate the worker suggests (a tenth of the current, at most the last healthy one). */
  @property({ attribute: false }) suggestedLr: number | null = null;
  /** Other problems (errors, device lost). */
  @property() problem = '';

  @state() private drafts: ReadonlyMap<string, Draft> = new Map();

  protected override updated(changed: PropertyValues<this>): void {
    if (!(changed as PropertyValues).has('drafts') || !this.config) return;
    const c = this.config;
    const fields = [LR, MOMENTUM, WARMUP, STEP_SIZE, GAMMA, MIN_LR, BATCH, EPOCHS, DECAY, SEED];
    const entries = [...this.drafts].map(([k, d]) => ({ label: d.label, message: d.message, kept: String(fields.find((f) => f.key === k)?.get(c) ?? '') }));
    emit(this, 'cp-drafts', { source: 'train', entries });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('config') as TrainConfig | undefined;
    if (!changed.has('config') || !old || !this.config || this.drafts.size === 0) return;
    // Undo or a preset changed a field that holds a draft: show the new value.
    const fields = [LR, MOMENTUM, WARMUP, STEP_SIZE, GAMMA, MIN_LR, BATCH, EPOCHS, DECAY, SEED];
    const kept = new Map([...this.drafts].filter(([k]) => {
      const f = fields.find((x) => x.key === k);
      return f && f.get(old) === f.get(this.config!);
    }));
    if (kept.size !== this.drafts.size) this.drafts = kept;
  }

  override render() {
    const c = this.config;
    if (!c) return nothing;
    const b = this.buttons;
    return html`<div class="panel">
      <h2 id="train-title">Settings</h2>
      <div class="buttons" role="group" aria-label="Training controls">
        <button class="primary" ?disabled=${!b.train} aria-describedby="train-why" title=${this.blocked ? `Training is off: ${this.blocked}` : 'Train (build the network if it changed, then run)'}
          @click=${() => this.#act('train')}>Train</button>
        <button ?disabled=${!b.pause} title="Pause after the current step" @click=${() => this.#act('pause')}>Pause</button>
        <button ?disabled=${!b.step} title="Train one batch and pause" @click=${() => this.#act('step')}>Step</button>
        <button ?disabled=${!b.reset} title="Fresh weights from the seed, back to step 0 (the run stays on the chart)" @click=${() => this.#act('reset')}>Reset</button>
      </div>
      <p id="train-why" class="why ${this.blocked ? 'blocked' : ''}">${this.blocked ? `Training is off: ${this.blocked}` : this.hint}</p>
      <div class="grid">
        <label class="field">Dataset
          <select aria-label="Dataset" @change=${(e: Event) => this.#emit({ ...c, dataset: (e.target as HTMLSelectElement).value as Dataset }, 'dataset')}>
            <option value="mnist" ?selected=${c.dataset === 'mnist'}>MNIST digits</option>
            <option value="fashion-mnist" ?selected=${c.dataset === 'fashion-mnist'} ?disabled=${this.datasets['fashion-mnist'] === false}>
              Fashion-MNIST${this.datasets['fashion-mnist'] === false ? ' (files missing)' : ''}</option>
            <option value="own" ?selected=${c.dataset === 'own'} ?disabled=${!this.datasets.own}>
              ${this.datasets.own ? `${this.ownName} (yours)` : 'Your images (build one below)'}</option>
          </select>
        </label>
        <label class="field">Training images
          <select aria-label="Training images" @change=${this.#subset}>
            ${SUBSETS.map((s) => html`<option value=${s ?? 'all'} ?selected=${s === this.subset}>${s === null ? `All (${fmt(this.trainCount)})` : `First ${fmt(s)}`}</option>`)}
          </select>
        </label>
        <label class="field">Optimizer
          <select aria-label="Optimizer" @change=${this.#optimizer}>
            ${OPTIMIZER_KINDS.map((k) => html`<option value=${k} ?selected=${c.optimizer.kind === k}>${k === 'sgd' ? 'SGD' : k === 'adam' ? 'Adam' : 'AdamW'}</option>`)}
          </select>
        </label>
        ${this.#box(LR, c)}
        ${this.#box(MOMENTUM, c)}
        ${c.optimizer.kind === 'sgd'
          ? html`<label class="check"><input type="checkbox" aria-label="Nesterov" .checked=${!!c.optimizer.nesterov} ?disabled=${!((c.optimizer.momentum ?? 0) > 0)}
              title=${(c.optimizer.momentum ?? 0) > 0 ? 'Nesterov momentum' : 'Nesterov needs momentum > 0'}
              @change=${(e: Event) => this.#emit(opt(c, { nesterov: (e.target as HTMLInputElement).checked }), 'optimizer.nesterov')} /> Nesterov</label>`
          : nothing}
        <label class="field">Schedule
          <select aria-label="Schedule" @change=${(e: Event) => this.#emit(sched(c, { kind: (e.target as HTMLSelectElement).value as ScheduleKind }), 'schedule.kind')}>
            ${SCHEDULE_KINDS.map((k) => html`<option value=${k} ?selected=${c.schedule.kind === k}>${k}</option>`)}
          </select>
        </label>
        ${this.#box(WARMUP, c)} ${this.#box(STEP_SIZE, c)} ${this.#box(GAMMA, c)} ${this.#box(MIN_LR, c)}
        ${this.#box(BATCH, c)} ${this.#box(EPOCHS, c)} ${this.#box(DECAY, c)} ${this.#box(SEED, c)}
        <label class="field">Initialisation
          <select aria-label="Initialisation" title="How the weights start (a new run): PyTorch's default, He normal or Glorot uniform"
            @change=${(e: Event) => this.#emit({ ...c, init: (e.target as HTMLSelectElement).value as InitScheme }, 'init')}>
            ${INIT_SCHEMES.map((k) => html`<option value=${k} ?selected=${(c.init ?? 'pytorch') === k}>${INIT_LABELS[k]}</option>`)}
          </select>
        </label>
      </div>
      ${this.diverged
        ? this.#divergedAlert(c)
        : nothing}
      ${this.problem ? html`<div class="alert" role="alert" aria-label="Training problem">${this.problem}</div>` : nothing}
    </div>`;
  }

  #divergedAlert(c: TrainConfig) {
    const lr = this.suggestedLr ?? c.optimizer.lr / 10;
    const lowered = c.optimizer.lr <= lr;
    return html`<div class="alert" role="alert" aria-label="Training diverged">${this.diverged}
      <br /><strong>Suggestion:</strong> ${lowered
        ? html`the learning rate is now ${fmt(c.optimizer.lr)}: press Train to resume.`
        : html`lower the learning rate (e.g. to ${fmt(lr)}) and press Train to resume.
            <button class="use-lr" @click=${() => this.#emit(opt(c, { lr }), 'optimizer.lr')}>Use learning rate ${fmt(lr)}</button>`}</div>`;
  }

  #box(f: TrainField, c: TrainConfig) {
    if (f.when && !f.when(c)) return nothing;
    const draft = this.drafts.get(f.key);
    const id = `msg-${f.key.replace('.', '-')}`;
    return html`<label class="field">${f.label}
      <input type="text" inputmode=${f.rule.whole ? 'numeric' : 'decimal'} autocomplete="off" spellcheck="false" aria-label=${f.label}
        .value=${draft ? draft.text : String(f.get(c) ?? '')} aria-invalid=${draft ? 'true' : 'false'} aria-describedby=${draft ? id : nothing}
        @input=${(e: Event) => this.#edit(f, (e.target as HTMLInputElement).value)} />
      ${draft ? html`<span class="msg" id=${id} role="alert">${draft.message} The last valid value, ${String(f.get(c) ?? '')}, stays in force.</span>` : nothing}
    </label>`;
  }

  #edit(f: TrainField, text: string) {
    const c = this.config;
    if (!c) return;
    const drafts = new Map(this.drafts);
    const r = parseField(f.rule, text);
    let message = r.ok ? '' : r.message;
    let next: TrainConfig | undefined;
    if (r.ok) {
      next = f.set(c, r.value as number);
      // Cross-field rules (minimum lr ≤ lr, Nesterov needs momentum) come from model/.
      const issue = validateTrainConfig(next).find((i) => i.field === f.key || (f.key === 'optimizer.momentum' && i.field === 'optimizer.nesterov'));
      if (issue) message = `${issue.message[0]!.toUpperCase()}${issue.message.slice(1)}.`;
    }
    if (message) {
      drafts.set(f.key, { text, message, label: f.label });
      this.drafts = drafts;
      return;
    }
    drafts.delete(f.key);
    this.drafts = drafts;
    if (next && f.get(next) !== f.get(c)) this.#emit(next, f.key);
  }

  #optimizer = (e: Event) => {
    const c = this.config!;
    const kind = (e.target as HTMLSelectElement).value as OptimizerKind;
    const base = { lr: c.optimizer.lr, weightDecay: c.optimizer.weightDecay ?? 0 };
    const o = kind === 'sgd' ? { kind, ...base, momentum: 0.9, nesterov: false } : { kind, ...base, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    this.#emit({ ...c, optimizer: o }, 'optimizer.kind');
  };

  #subset = (e: Event) => {
    const v = (e.target as HTMLSelectElement).value;
    emit(this, 'cp-train-subset', { subset: v === 'all' ? null : Number(v) });
  };

  #emit(train: TrainConfig, key: string) {
    if (validateTrainConfig(train).length > 0) return;
    emit(this, 'cp-train-config', { train, key: `train.${key}` });
  }

  #act(action: TrainAction) {
    emit(this, 'cp-train-action', { action });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-train-controls': CpTrainControls;
  }
}
