// Why: the network's answer for the image being inspected: the predicted class and a bar per class.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** "Prediction: 7 (93%)" for a probability vector. */
export function predictionText(p: ArrayLike<number>, classNames: readonly string[]): string {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return `Prediction: ${classNames[best] ?? best} (${Math.round(p[best]! * 100)}%)`;
}

@customElement('cp-probabilities')
export class CpProbabilities extends LitElement {
  static override styles = css`
    :host { display: block; font-size: 0.8rem; }
    .pred { font-size: 1rem; font-weight: 600; margin: 0 0 4px; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 1px; line-height: 1.25; }
    li { display: grid; grid-template-columns: 5.5em 1fr 3em; gap: 6px; align-items: center; }
    .bar { height: 10px; border-radius: 3px; background: #e9ecef; overflow: hidden; }
    .bar span { display: block; height: 100%; background: #3b5bdb; }
    li.best .bar span { background: #2b8a3e; }
    .v { text-align: right; font-variant-numeric: tabular-nums; color: var(--cp-muted, #5c6270); }
    .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  `;

  @property({ attribute: false }) probabilities?: Float32Array;
  @property({ attribute: false }) classNames: readonly string[] = [];

  override render() {
    const p = this.probabilities;
    if (!p) return html`<p class="pred muted" role="status" aria-label="Prediction">Prediction: —</p>`;
    const text = predictionText(p, this.classNames);
    let best = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
    return html`<p class="pred" role="status" aria-label="Prediction">${text}</p>
      <ol aria-label="Class probabilities">
        ${[...p].map((v, i) => html`<li class=${i === best ? 'best' : ''} aria-label=${`${this.classNames[i] ?? i}: ${Math.round(v * 100)}%`}>
          <span class="name">${this.classNames[i] ?? i}</span><span class="bar"><span style=${`width:${(v * 100).toFixed(1)}%`}></span></span><span class="v">${(v * 100).toFixed(0)}%</span>
        </li>`)}
      </ol>
      ${nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-probabilities': CpProbabilities;
  }
}
