// Why: batch norm in numbers for one cell: the value, the running mean and variance it is normalised
// with at test time, then γ and β, which let the network scale and shift the normalised value back.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BatchNormCell } from '../../worker/protocol';
import { num } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';

@customElement('cp-batch-norm-panel')
export class CpBatchNormPanel extends LitElement {
  static override styles = [explainStyles, css`:host { display: block; }`];

  @property({ attribute: false }) cell?: BatchNormCell;

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const ok = Math.abs(c.total - c.value) <= 1e-4 * Math.max(1, Math.abs(c.value));
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
      <p class="why">At test time batch norm uses the running averages (updated with momentum ${c.momentum} at every training step), so an image's output does not depend on the other images in its batch. γ and β are learned: they let the layer undo the normalisation where that helps.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-batch-norm-panel': CpBatchNormPanel;
  }
}
