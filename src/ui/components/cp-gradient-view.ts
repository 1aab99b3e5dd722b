// Why: vanishing and exploding gradients, seen as ConvNetJS shows them: for the selected image, each
// layer's output gradient as maps (blue negative, red positive, one scale per layer) and the conv
// filters' gradients, with a table of min / max / mean |value| of activations, gradients and weights
// and the share of ReLU outputs at zero. The numbers are the engine's (a batch-1 backward pass).
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GradientReport, LayerGradient, TensorStats } from '../../worker/protocol';
import { paintDiverging } from '../colormap';
import { num } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';
import { controls, panel } from '../styles/shared';

/** Maps drawn per layer (the rest are counted). */
const MAX_MAPS = 16;

export interface GradientToggleDetail {
  open: boolean;
}

@customElement('cp-gradient-view')
export class CpGradientView extends LitElement {
  static override styles = [
    panel,
    controls,
    explainStyles,
    css`
      :host { display: block; }
      .head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
      .scroll { overflow-x: auto; }
      .maps { display: flex; flex-wrap: wrap; gap: 3px; align-items: center; }
      canvas.g { width: 40px; height: 40px; image-rendering: pixelated; }
      canvas.f { width: 30px; height: 30px; image-rendering: pixelated; }
      h3 { font-size: 0.8rem; margin: 10px 0 4px; font-weight: 600; }
      h3 span { font-weight: 400; color: var(--cp-muted, #5c6270); }
      .more { font-size: 0.75rem; color: var(--cp-muted, #5c6270); }
    `,
  ];

  @property({ type: Boolean }) open = false;
  @property({ attribute: false }) report?: GradientReport;
  @property() error = '';
  @property({ attribute: false }) classNames: readonly string[] = [];

  override render() {
    const r = this.report;
    return html`<section class="panel" aria-label="Gradients">
      <div class="head">
        <h2>Gradients</h2>
        <button aria-pressed=${this.open ? 'true' : 'false'} @click=${() => this.dispatchEvent(new CustomEvent<GradientToggleDetail>('cp-gradients-toggle', { detail: { open: !this.open }, bubbles: true, composed: true }))}>
          ${this.open ? 'Hide gradients' : 'Show gradients for this image'}</button>
      </div>
      ${!this.open
        ? html`<p class="muted">How the loss of the selected image flows back: each layer's gradient maps, its filters' gradients, and min / max / mean |value| per layer (vanishing or exploding gradients show here).</p>`
        : this.error
          ? html`<p class="bad" role="alert">${this.error}</p>`
          : !r
            ? html`<p class="muted">Running the image backward…</p>`
            : html`<p class="total" role="status" aria-label="Gradient loss">Loss against ${r.targetIsLabel ? 'the label' : 'the predicted class (a drawing has no label)'} ${this.classNames[r.target] ?? r.target}: <b>${num(r.loss)}</b>; batch of 1, training mode.</p>
                <div class="scroll">${this.#table(r.layers)}</div>
                ${r.layers.map((l, i) => this.#maps(l, i))}`}
    </section>`;
  }

  #table(layers: LayerGradient[]) {
    const s = (t?: TensorStats) => (t ? html`<td>${num(t.min)}</td><td>${num(t.max)}</td><td>${num(t.meanAbs)}</td>` : html`<td></td><td></td><td></td>`);
    return html`<table aria-label="Per-layer statistics">
      <thead>
        <tr><th></th><th colspan="3">activations</th><th colspan="3">gradients</th><th colspan="3">weights</th><th>ReLU at 0</th></tr>
        <tr><th>layer</th>${[0, 1, 2].map(() => html`<th>min</th><th>max</th><th>mean |·|</th>`)}<th></th></tr>
      </thead>
      <tbody>
        ${layers.map((l) => html`<tr><td>${l.layerId}</td>${s(l.activation)}${s(l.gradient)}${s(l.weight)}<td>${l.deadRelu === undefined ? '' : `${(l.deadRelu * 100).toFixed(0)}%`}</td></tr>`)}
      </tbody>
    </table>`;
  }

  #maps(l: LayerGradient, li: number) {
    const spatial = l.shape.length === 3;
    const C = spatial ? l.shape[0]! : 0;
    const ws = l.weightShape;
    const K = ws && ws.length === 4 ? ws[0]! : 0;
    if (!spatial && !K) return nothing;
    return html`<h3>${l.layerId} <span>${l.kind} · dL/d(output) ${l.shape.join('×')}${K ? ` · filter gradients ${ws!.join('×')}${ws![1]! > 1 ? ' (input channel 1)' : ''}` : ''}</span></h3>
      <div class="maps" role="group" aria-label=${`${l.layerId} gradients`}>
        ${spatial
          ? Array.from({ length: Math.min(C, MAX_MAPS) }, (_, c) => html`<canvas class="g" data-l=${li} data-c=${c} width=${l.shape[2]} height=${l.shape[1]} role="img" aria-label=${`${l.layerId} gradient map ${c + 1} of ${C}`}></canvas>`)
          : nothing}
        ${C > MAX_MAPS ? html`<span class="more">+${C - MAX_MAPS} more</span>` : nothing}
        ${K
          ? Array.from({ length: Math.min(K, MAX_MAPS) }, (_, k) => html`<canvas class="f" data-l=${li} data-k=${k} width=${ws![3]} height=${ws![2]} role="img" aria-label=${`${l.layerId} filter ${k + 1} gradient`}></canvas>`)
          : nothing}
      </div>`;
  }

  protected override updated(): void {
    const r = this.report;
    if (!r || !this.open) return;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-l]')) {
      const l = r.layers[Number(canvas.dataset['l'])];
      const ctx = canvas.getContext('2d');
      if (!l || !ctx) continue;
      const w = canvas.width, h = canvas.height;
      const img = ctx.createImageData(w, h);
      if (canvas.dataset['k'] !== undefined) {
        const k = Number(canvas.dataset['k']);
        const per = l.weightShape!.slice(1).reduce((a, b) => a * b, 1);
        paintDiverging(img.data, w, 0, 0, l.weightGrad!, k * per, w, h, Math.max(Math.abs(l.weightGradStats!.min), Math.abs(l.weightGradStats!.max)));
      } else {
        const c = Number(canvas.dataset['c']);
        paintDiverging(img.data, w, 0, 0, l.grad, c * w * h, w, h, Math.max(Math.abs(l.gradient.min), Math.abs(l.gradient.max)));
      }
      ctx.putImageData(img, 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-gradient-view': CpGradientView;
  }
  interface HTMLElementEventMap {
    'cp-gradients-toggle': CustomEvent<GradientToggleDetail>;
  }
}
