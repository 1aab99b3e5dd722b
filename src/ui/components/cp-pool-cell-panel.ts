// Why: pooling in numbers: the window on one channel's map (padding drawn as padding), each value,
// and the max (marked) or the mean — equal to the value on the map. The numbers are the engine's.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PoolCell } from '../../worker/protocol';
import { drawReceptiveField, drawTaps } from '../explain/cell-drawing';
import { num, rc } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';

@customElement('cp-pool-cell-panel')
export class CpPoolCellPanel extends LitElement {
  static override styles = [explainStyles, css`:host { display: block; }`];

  @property({ attribute: false }) cell?: PoolCell;

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const isMax = c.kind === 'max-pool';
    const n = c.F * c.FW;
    const [, H = 1, W = 1] = c.inShape;
    const what = c.kind === 'global-avg-pool' ? `the mean of channel ${c.at.c + 1}'s whole ${H}×${W} map` : `a ${c.F}×${c.FW} window, stride ${c.S}, padding ${c.P}, top-left at ${rc(c.iy0, c.ix0)}`;
    const padded = Array.from(c.padding).some((p) => p === 1);
    return html`
      <p class="lead">${isMax ? 'Max' : 'Average'} pooling over ${what}${padded ? (isMax ? '; padding never wins' : '; padding counts as 0 in the mean (PyTorch’s default)') : ''}.</p>
      <div class="pictures">
        <figure>
          <canvas class="taps" role="img" aria-label=${`Channel ${c.at.c + 1} of the input, the window outlined`}></canvas>
          <figcaption>Input channel ${c.at.c + 1}${c.P ? ', padding hatched' : ''}</figcaption>
        </figure>
        ${n <= 49
          ? html`<div><h4>window</h4><div class="grid" role="table" aria-label="Pooling window" style=${`grid-template-columns:repeat(${c.FW}, auto)`}>
              ${Array.from(c.window, (v, t) => {
                const pad = c.padding[t] === 1;
                const max = isMax && t === c.argmax;
                return html`<span role="cell" class=${pad ? 'pad' : max ? 'max' : ''} title=${pad ? 'padding' : max ? 'the maximum' : ''}>${pad ? (isMax ? '—' : '0') : num(v)}${max ? ' ★' : ''}</span>`;
              })}
            </div></div>`
          : nothing}
        <figure>
          <canvas class="rf" role="img" aria-label=${`Receptive field: input rows ${c.receptiveField.y0}–${c.receptiveField.y1}, columns ${c.receptiveField.x0}–${c.receptiveField.x1}`}></canvas>
          <figcaption>Receptive field on the image</figcaption>
        </figure>
      </div>
      <p class="total" role="status" aria-label="Pooling result">
        ${isMax ? html`max of the ${n - Array.from(c.padding).filter((p) => p).length} values = <b>${num(c.result)}</b> (★)` : html`Σ ${num(c.result * n)} / ${n} = <b>${num(c.result)}</b>`};
        the map shows <b>${num(c.value)}</b> ${Math.abs(c.result - c.value) <= 1e-4 * Math.max(1, Math.abs(c.value)) ? html`<span class="ok">✓ equal</span>` : html`<span class="bad">differs</span>`}
      </p>`;
  }

  protected override updated(): void {
    const c = this.cell;
    if (!c) return;
    const [, H = 1, W = 1] = c.inShape;
    const taps: [number, number][] = [];
    for (let fy = 0; fy < c.F; fy++) for (let fx = 0; fx < c.FW; fx++) taps.push([c.iy0 + fy, c.ix0 + fx]);
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.taps');
    if (canvas) drawTaps(canvas, { data: c.inputMap, start: 0, H, W, PH: c.P, PW: c.P, taps, strong: c.argmax });
    const rf = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.rf');
    if (rf) drawReceptiveField(rf, c.image, c.imageShape, c.receptiveField, Math.max(3, Math.floor(150 / c.imageShape[1])));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-pool-cell-panel': CpPoolCellPanel;
  }
}
