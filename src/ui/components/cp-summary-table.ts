// Why: the whole network at a glance, like Keras' model.summary(): each layer's output shape,
// parameters and multiply-adds, with the totals and the activation memory a forward pass keeps; once
// training has started, each layer's GPU time per training step (forward + backward), so a user sees
// which layer costs the time.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { findItem, fmt, isBlock, type LayerItem, type NetworkAnalysis, type NetworkSpec } from '../../model';
import { panel } from '../styles/shared';
import { shapeLabel } from './cp-layer-card';
import { bytesLabel } from './cp-layer-inspector';
import { NotationController, notationName } from '../shape-notation';
import type { LayerGpuTime } from '../../worker/protocol';

/** What the times were measured with (the column says which). */
const METHOD = { timestamps: 'GPU timestamps', submit: 'each layer timed alone, submit to completion (no timestamp queries here)' } as const;

const msLabel = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2));

@customElement('cp-summary-table')
export class CpSummaryTable extends LitElement {
  readonly notation = new NotationController(this);
  static override styles = [
    panel,
    css`
      :host { display: block; }
      .scroll { overflow-x: auto; }
      table { border-collapse: collapse; width: 100%; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
      caption { text-align: left; font-weight: 600; font-size: 0.95rem; padding-bottom: 8px; }
      th, td { padding: 5px 10px; border-bottom: 1px solid var(--cp-border, #e3e5ea); text-align: right; white-space: nowrap; }
      th:first-child, td:first-child { text-align: left; }
      thead th { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--cp-muted, #5c6270); font-weight: 600; }
      tbody tr.selected { background: var(--cp-selected, #eef2ff); }
      tbody tr.bad td { color: var(--cp-error, #c92a2a); }
      tfoot th, tfoot td { border-bottom: none; }
      tfoot tr:first-child th, tfoot tr:first-child td { border-top: 2px solid var(--cp-border, #d0d4dc); }
      .kind { color: var(--cp-muted, #5c6270); font-family: var(--cp-mono, ui-monospace, monospace); font-size: 0.8rem; }
      .method { text-transform: none; letter-spacing: 0; font-weight: 400; }
      th.note { font-weight: 400; font-size: 0.75rem; color: var(--cp-muted, #5c6270); white-space: normal; text-align: left; }
      /* On a phone the table fits its panel: cells wrap, the kind goes under the name. */
      :host { container-type: inline-size; }
      @container (max-width: 720px) {
        th, td { white-space: normal; padding: 4px 6px; }
      }
      @container (max-width: 560px) {
        table { font-size: 0.74rem; }
        th, td { white-space: normal; padding: 4px 3px; }
        thead th { font-size: 0.6rem; letter-spacing: 0; }
        .kind { display: block; font-size: 0.7rem; }
        .panel { padding: 10px 8px; }
      }
      @container (max-width: 400px) {
        table { font-size: 0.68rem; }
        th, td { padding: 4px 2px; }
        .kind { font-size: 0.62rem; }
      }
    `,
  ];

  @property({ attribute: false }) spec?: NetworkSpec;
  @property({ attribute: false }) analysis?: NetworkAnalysis;
  @property({ attribute: false }) selectedId: string | null = null;
  /** Each layer's GPU ms per training step (rows 'gather' and 'loss' too); undefined before training. */
  @property({ attribute: false }) gpuTimes?: { method: 'timestamps' | 'submit'; layers: LayerGpuTime[] };

  #timeCell(layerId: string) {
    const r = this.gpuTimes?.layers.find((l) => l.layerId === layerId);
    if (!this.gpuTimes) return nothing;
    if (!r) return html`<td title="no dispatches of its own: fused into the layer before it, or a view">—</td>`;
    return html`<td title="forward ${msLabel(r.forwardMs)} ms + backward ${msLabel(r.backwardMs)} ms">${msLabel(r.forwardMs + r.backwardMs)}</td>`;
  }

  override render() {
    const spec = this.spec;
    const a = this.analysis;
    if (!spec || !a) return nothing;
    const t = a.totals;
    const broken = a.layers.some((l) => !l.outShape);
    const times = this.gpuTimes;
    const total = times?.layers.reduce((sum, l) => sum + l.forwardMs + l.backwardMs, 0) ?? 0;
    const blank = times ? html`<td></td>` : nothing;
    return html`<section class="panel scroll">
      <table>
        <caption>Model summary (per image)</caption>
        <thead>
          <tr><th scope="col">Layer (type)</th><th scope="col">Output shape (${notationName()})</th><th scope="col">Parameters</th><th scope="col">Multiply-adds</th>${times ? html`<th scope="col" title=${METHOD[times.method]}>GPU ms / step<br /><span class="method">${times.method === 'timestamps' ? 'timestamps' : 'timed alone'}</span></th>` : nothing}</tr>
        </thead>
        <tbody>
          <tr><th scope="row">input</th><td>${shapeLabel(a.input)}</td><td>0</td><td>0</td>${this.#timeCell('gather')}</tr>
          ${a.layers.map((r, i) => {
            const l = a.leaves[i]!;
            const ok = !!r.outShape;
            // A residual block's sum follows its last layer (inner blocks first).
            const sums = a.blocks.filter((b) => b.end === i + 1).sort((x, y) => y.depth - x.depth);
            return html`<tr class="${l.id === this.selectedId ? 'selected' : ''} ${ok ? '' : 'bad'}">
              <th scope="row">${l.id} <span class="kind">(${l.kind}${l.id.endsWith('.shortcut') && l.kind === 'conv2d' && l.F === 1 ? ', 1×1 projection' : ''})</span></th>
              <td title=${ok ? `C×H×W, as in the code and PyTorch: ${r.outShape?.join('×') ?? ''}` : ''}>${ok ? shapeLabel(r.outShape) : "doesn't fit"}</td>
              <td>${ok ? fmt(r.params) : '—'}</td>
              <td>${ok ? fmt(r.macs) : '—'}</td>
              ${this.#timeCell(l.id)}
            </tr>${sums.map(
              (b) => html`<tr class="${b.id === this.selectedId ? 'selected' : ''} ${b.outShape ? '' : 'bad'}">
                <th scope="row">${b.id} <span class="kind">(residual sum${findRelu(spec.layers, b.id) ? ' + ReLU' : ''})</span></th>
                <td>${b.outShape ? shapeLabel(b.outShape) : "doesn't fit"}</td><td>0</td><td>0</td>${this.#timeCell(b.id)}
              </tr>`,
            )}`;
          })}
          ${times ? html`<tr><th scope="row">loss <span class="kind">(softmax cross-entropy)</span></th><td></td><td></td><td></td>${this.#timeCell('loss')}</tr>` : nothing}
        </tbody>
        <tfoot>
          <tr><th scope="row">Total${broken ? ' (up to the first problem)' : ''}</th><td></td><td>${fmt(t.params)}</td><td>${fmt(t.macs)}</td>${times ? html`<td title="optimizer not included">${msLabel(total)}</td>` : nothing}</tr>
          ${t.stateCount > 0 ? html`<tr><th scope="row">Non-trainable (batch-norm running statistics)</th><td></td><td>${fmt(t.stateCount)}</td><td></td>${blank}</tr>` : nothing}
          <tr><th scope="row">Activation memory (f32, forward)</th><td></td><td></td><td>${bytesLabel(t.activationBytes)} per image</td>${blank}</tr>
          ${times ? html`<tr><th scope="row" colspan="5" class="note">GPU ms / step: ${METHOD[times.method]}; the input row is the batch gather; the optimizer is not timed.</th></tr>` : nothing}
        </tfoot>
      </table>
    </section>`;
  }
}

function findRelu(items: readonly LayerItem[], id: string): boolean {
  const b = findItem(items, id);
  return !!b && isBlock(b) && b.relu;
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-summary-table': CpSummaryTable;
  }
}
