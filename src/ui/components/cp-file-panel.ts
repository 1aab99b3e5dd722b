// Why: the file actions in one place: save the trained weights, load them back (a file picker here, or
// a file dropped anywhere on the page), export to PyTorch (model.py, train.py) or ONNX, export the
// test-set predictions.
// Like every child it only asks: <cp-app> talks to the engine, makes the files and says how it went.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fmt } from '../../model';
import { emit, type FileAction } from '../events';
import { controls, panel } from '../styles/shared';

/** Whether an action can run now, and why not ('' when it can). */
export interface FileActionState {
  save: string;
  load: string;
  pytorch: string;
  onnx: string;
  predictions: string;
}

@customElement('cp-file-panel')
export class CpFilePanel extends LitElement {
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
      label.check { display: flex; gap: 6px; align-items: center; font-size: 0.82rem; }
      .why { margin: 6px 0 0; font-size: 0.8rem; color: var(--cp-muted, #5c6270); }
      .why b { font-weight: 600; }
      .note { margin: 6px 0 0; font-size: 0.78rem; color: var(--cp-muted, #5c6270); }
      code { font-size: 0.78rem; }
      .alert { margin: 8px 0 0; padding: 8px 10px; border-radius: 8px; border: 1px solid #f0a0a0; background: #fff5f5; color: #8a1c1c; font-size: 0.85rem; overflow-wrap: anywhere; }
      .done { margin: 8px 0 0; font-size: 0.85rem; color: #1f5e2e; }
    `,
  ];

  /** Why each action is off ('' when it is on). */
  @property({ attribute: false }) blocked: FileActionState = { save: '', load: '', pytorch: '', onnx: '', predictions: '' };
  @property({ type: Boolean }) includeOptimizer = true;
  /** What is being done now ('' when idle): the buttons wait. */
  @property() busy = '';
  /** The last action's failure, word for word (role=alert). */
  @property() error = '';
  /** The last action's success. */
  @property() done = '';
  /** Step of the checkpoint kept in memory for recovery (null: none yet). */
  @property({ attribute: false }) keptStep: number | null = null;

  override render() {
    const b = this.blocked;
    const why = [
      b.save && html`<span>Save weights: <b>${b.save}</b></span>`,
      b.pytorch && html`<span>Export PyTorch: <b>${b.pytorch}</b></span>`,
      b.onnx && html`<span>Export ONNX: <b>${b.onnx}</b></span>`,
      b.predictions && html`<span>Export predictions: <b>${b.predictions}</b></span>`,
    ].filter(Boolean);
    return html`<div class="panel" role="region" aria-label="Save, load and export">
      <h2>File</h2>
      <div class="bar" role="toolbar" aria-label="File">
        <button ?disabled=${!!b.save || !!this.busy} aria-describedby="file-why" title=${b.save || 'Download the weights as <design>.safetensors'}
          @click=${() => this.#act('save')}>Save weights</button>
        <label class="check" title="Adam/SGD moments, so that training continues exactly where it left off">
          <input type="checkbox" .checked=${this.includeOptimizer}
            @change=${(e: Event) => emit(this, 'cp-file-option', { includeOptimizer: (e.target as HTMLInputElement).checked })} />
          Include optimizer state</label>
        <button ?disabled=${!!b.load || !!this.busy} title=${b.load || 'Open a .safetensors checkpoint (or drop one on the page)'}
          @click=${this.#pick}>Load weights</button>
        <input id="file" type="file" accept=".safetensors" aria-label="Load weights" hidden @change=${this.#chosen} />
        <button ?disabled=${!!b.pytorch || !!this.busy} aria-describedby="file-why" title=${b.pytorch || 'Download a zip: model.py, train.py, README.md (and the weights, when a network is built)'}
          @click=${() => this.#act('export-pytorch')}>Export PyTorch</button>
        <button ?disabled=${!!b.onnx || !!this.busy} aria-describedby="file-why" title=${b.onnx || 'Download the trained network as <design>.onnx (opset 13)'}
          @click=${() => this.#act('export-onnx')}>Export ONNX</button>
        <button ?disabled=${!!b.predictions || !!this.busy} aria-describedby="file-why" title=${b.predictions || 'Download the test-set class probabilities'}
          @click=${() => this.#act('export-predictions')}>Export predictions</button>
      </div>
      <p class="why" id="file-why">${why.length ? why.map((w, i) => html`${i ? html`<br />` : nothing}${w}`) : nothing}</p>
      <p class="note">Load weights also takes a <code>.safetensors</code> file dropped anywhere on the page; the network,
        its training settings and its step come with it (Undo brings your design back). Export PyTorch downloads a zip
        of <code>model.py</code>, <code>train.py</code> (the same training, on one GPU or many) and, when a network is built, its
        weights; Export ONNX writes the trained network for onnxruntime and other runtimes. Export predictions writes the
        test-set probabilities; <code>tools/check-pytorch-export.py</code> compares them with what PyTorch computes from model.py.</p>
      <p class="note" role="status" aria-label="Recovery copy">${this.keptStep === null
        ? 'No copy of the weights is kept yet (one is taken at each epoch end and pause, for recovery after a crash).'
        : `Weights kept in memory for recovery: step ${fmt(this.keptStep)}.`}</p>
      ${this.busy ? html`<p class="note" role="status">${this.busy}</p>` : nothing}
      ${this.error ? html`<div class="alert" role="alert" aria-label="File problem">${this.error}</div>` : nothing}
      ${this.done && !this.error ? html`<p class="done" role="status" aria-label="File result">${this.done}</p>` : nothing}
    </div>`;
  }

  #act(action: FileAction) {
    emit(this, 'cp-file-action', { action });
  }

  #pick = () => {
    this.renderRoot.querySelector<HTMLInputElement>('#file')?.click();
  };

  #chosen = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so that choosing the same file again fires change again.
    input.value = '';
    if (file) emit(this, 'cp-file-load', { file });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-file-panel': CpFilePanel;
  }
}
