// Why: the whole network at a glance, like Keras' model.summary(): each layer's output shape,
// parameters and multiply-adds, with the totals and the activation memory a forward pass keeps.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { findItem, fmt, isBlock, type LayerItem, type NetworkAnalysis, type NetworkSpec } from '../../model';
import { panel } from '../styles/shared';
import { shapeLabel } from './cp-layer-card';
import { bytesLabel } from './cp-layer-inspector';
import { NotationController, notationName } from '../shape-notation';

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
    `,
  ];

  @property({ attribute: false }) spec?: NetworkSpec;
  @property({ attribute: false }) analysis?: NetworkAnalysis;
  @property({ attribute: false }) selectedId: string | null = null;

  override render() {
    const spec = this.spec;
    const a = this.analysis;
    if (!spec || !a) return nothing;
    const t = a.totals;
    const broken = a.layers.some((l) => !l.outShape);
    return html`<section class="panel scroll">
      <table>
        <caption>Model summary (per image)</caption>
        <thead>
          <tr><th scope="col">Layer (type)</th><th scope="col">Output shape (${notationName()})</th><th scope="col">Parameters</th><th scope="col">Multiply-adds</th></tr>
        </thead>
        <tbody>
          <tr><th scope="row">input</th><td>${shapeLabel(a.input)}</td><td>0</td><td>0</td></tr>
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
            </tr>${sums.map(
              (b) => html`<tr class="${b.id === this.selectedId ? 'selected' : ''} ${b.outShape ? '' : 'bad'}">
                <th scope="row">${b.id} <span class="kind">(residual sum${findRelu(spec.layers, b.id) ? ' + ReLU' : ''})</span></th>
                <td>${b.outShape ? shapeLabel(b.outShape) : "doesn't fit"}</td><td>0</td><td>0</td>
              </tr>`,
            )}`;
          })}
        </tbody>
        <tfoot>
          <tr><th scope="row">Total${broken ? ' (up to the first problem)' : ''}</th><td></td><td>${fmt(t.params)}</td><td>${fmt(t.macs)}</td></tr>
          ${t.stateCount > 0 ? html`<tr><th scope="row">Non-trainable (batch-norm running statistics)</th><td></td><td>${fmt(t.stateCount)}</td><td></td></tr>` : nothing}
          <tr><th scope="row">Activation memory (f32, forward)</th><td></td><td></td><td>${bytesLabel(t.activationBytes)} per image</td></tr>
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
