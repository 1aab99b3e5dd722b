// Why: a dense unit adds hundreds of products; the panel lists the largest contributions w·x, the
// rest as one sum, the bias and the total (equal to the unit's value). On the output layer it goes
// on: logits → exp → sum → probabilities, and the loss −log p(label) for this image.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DenseCell, SoftmaxExplanation } from '../../worker/protocol';
import { num } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';

@customElement('cp-dense-panel')
export class CpDensePanel extends LitElement {
  static override styles = [explainStyles, css`:host { display: block; } .cols { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }`];

  @property({ attribute: false }) cell?: DenseCell;
  @property({ attribute: false }) classNames: readonly string[] = [];

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const diff = Math.abs(c.total - c.preActivation);
    return html`
      <p class="lead">Unit ${c.at.c + 1}: every one of the ${c.inFeatures.toLocaleString('en-US')} inputs times its weight, summed, plus the bias. The largest contributions:</p>
      <div class="cols">
        <table aria-label="Largest contributions w·x">
          <thead><tr><th>input</th><th>x</th><th>w</th><th>w·x</th></tr></thead>
          <tbody>
            ${c.top.map((t) => html`<tr><td>${t.where ? `ch ${t.where.c + 1} ${`(${t.where.y}, ${t.where.x})`}` : `#${t.i}`}</td><td>${num(t.x)}</td><td>${num(t.w)}</td><td>${num(t.product)}</td></tr>`)}
            ${c.inFeatures > c.top.length ? html`<tr><td colspan="3">the other ${(c.inFeatures - c.top.length).toLocaleString('en-US')}</td><td>${num(c.restSum)}</td></tr>` : nothing}
          </tbody>
        </table>
        ${c.softmax ? this.#softmax(c.softmax) : nothing}
      </div>
      <p class="total" role="status" aria-label="Dense total">
        Σ w·x ${num(c.sumProducts)} + bias ${num(c.bias)} = <b>${num(c.total)}</b>; the engine's output: <b>${num(c.preActivation)}</b>
        ${diff <= 1e-4 * Math.max(1, Math.abs(c.total)) ? html`<span class="ok">✓ equal</span>` : html`<span class="bad">differs by ${num(diff)}</span>`}
      </p>
      ${c.activation ? html`<p class="total" aria-label="Activation">then ${c.activation.kind}(${num(c.preActivation)}) = <b>${num(c.activation.after)}</b>.</p>` : nothing}`;
  }

  #softmax(s: SoftmaxExplanation) {
    const name = (k: number) => this.classNames[k] ?? String(k);
    return html`<div>
      <table aria-label="Softmax: logits to probabilities">
        <thead><tr><th>class</th><th>logit z</th><th>e^(z − ${num(s.maxLogit)})</th><th>p = e / Σ</th></tr></thead>
        <tbody>
          ${Array.from(s.logits, (z, k) => html`<tr class=${k === s.label ? 'label' : ''}><td>${name(k)}${k === s.label ? ' (label)' : ''}</td><td>${num(z)}</td><td>${num(s.exps[k]!)}</td><td>${num(s.probabilities[k]!)}</td></tr>`)}
          <tr><td>Σ</td><td></td><td>${num(s.sumExp)}</td><td>1</td></tr>
        </tbody>
      </table>
      <p class="total" aria-label="Loss">${s.loss !== undefined && s.label !== undefined
        ? html`loss = −log p(${name(s.label)}) = −log ${num(s.probabilities[s.label]!)} = <b>${num(s.loss)}</b>`
        : html`A drawing has no label, so no loss.`}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-dense-panel': CpDensePanel;
  }
}
