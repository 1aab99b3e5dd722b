// Why: batch norm in numbers for one cell: the value, the running mean and variance it is normalised
// with at test time, then γ and β, which let the network scale and shift the normalised value back.
// "Compare" re-runs the image in training mode (inside a batch, normalised with the batch's own
// statistics) and in evaluation mode, and shows how the outputs differ.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BatchNormCell, BatchNormModes } from '../../worker/protocol';
import { num } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';
import { controls } from '../styles/shared';

@customElement('cp-batch-norm-panel')
export class CpBatchNormPanel extends LitElement {
  static override styles = [controls, explainStyles, css`:host { display: block; } .cols { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }`];

  @property({ attribute: false }) cell?: BatchNormCell;
  @property({ attribute: false }) modes?: BatchNormModes;
  @property() modesError = '';
  @property({ attribute: false }) classNames: readonly string[] = [];

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const ok = Math.abs(c.total - c.value) <= 1e-4 * Math.max(1, Math.abs(c.value));
    const m = this.modes && this.modes.layerId === c.layerId && this.modes.at.c === c.at.c && this.modes.at.y === c.at.y && this.modes.at.x === c.at.x ? this.modes : undefined;
    return html`
      <table aria-label="Batch norm arithmetic">
        <tbody>
          <tr><td>input x</td><td>${num(c.x)}</td></tr>
          <tr><td>running mean μ (channel ${c.at.c + 1})</td><td>${num(c.runningMean)}</td></tr>
          <tr><td>running variance σ²</td><td>${num(c.runningVar)}</td></tr>
          <tr><td>x̂ = (x − μ) / √(σ² + ε), ε = ${c.epsilon}</td><td>${num(c.normalised)}</td></tr>
          <tr><td>γ (scale)</td><td>${num(c.gamma)}</td></tr>
          <tr><td>β (shift)</td><td>${num(c.beta)}</td></tr>
          <tr><td>y = γ·x̂ + β</td><td><b>${num(c.total)}</b></td></tr>
        </tbody>
      </table>
      <p class="total" role="status" aria-label="Batch norm total">the map shows <b>${num(c.value)}</b> ${ok ? html`<span class="ok">✓ equal</span>` : html`<span class="bad">differs</span>`}</p>
      <p class="why">γ and β are learned: after normalising to mean 0 and variance 1, the layer scales by γ and shifts by β, so it can undo the normalisation where that helps.</p>
      <p><button @click=${() => this.dispatchEvent(new CustomEvent('cp-bn-compare', { bubbles: true, composed: true }))}>Compare training and evaluation mode</button></p>
      ${this.modesError ? html`<p class="bad" role="alert">${this.modesError}</p>` : nothing}
      ${m ? this.#modes(m) : nothing}`;
  }

  #modes(m: BatchNormModes) {
    const name = (k: number) => this.classNames[k] ?? String(k);
    const diff = Array.from(m.trainProbabilities, (p, k) => Math.abs(p - m.evalProbabilities[k]!));
    const worst = diff.indexOf(Math.max(...diff));
    return html`<div class="cols">
        <table aria-label="Training versus evaluation mode">
          <thead><tr><th></th><th>training mode</th><th>evaluation mode</th></tr></thead>
          <tbody>
            <tr><td>mean used</td><td>${num(m.batchMean)} (batch of ${m.batch})</td><td>${num(m.runningMean)} (running)</td></tr>
            <tr><td>variance used</td><td>${num(m.batchVar)}</td><td>${num(m.runningVar)}</td></tr>
            <tr><td>this cell's output</td><td><b>${num(m.trainValue)}</b></td><td><b>${num(m.evalValue)}</b></td></tr>
            ${Array.from(m.trainProbabilities, (p, k) => html`<tr><td>p(${name(k)})</td><td>${num(p)}</td><td>${num(m.evalProbabilities[k]!)}</td></tr>`)}
          </tbody>
        </table>
      </div>
      <p class="total" role="status" aria-label="Mode difference">The outputs differ by ${num(Math.abs(m.trainValue - m.evalValue))} here; the largest probability change is ${num(diff[worst]!)} (class ${name(worst)}).</p>
      <p class="why">While training, batch norm normalises each channel with the current batch's mean and variance (so an image's output depends on the other images in its batch); at test time it uses the running averages gathered during training, so each image gets the same answer on its own.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-batch-norm-panel': CpBatchNormPanel;
  }
  interface HTMLElementEventMap {
    'cp-bn-compare': CustomEvent<void>;
  }
}
