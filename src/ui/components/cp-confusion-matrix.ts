// Why: which digits the network mixes up. Rows are the true class, columns the predicted one; each
// cell is a focusable button with its count. Choosing an off-diagonal cell shows those misclassified
// test images (when the worker sends per-image predictions).
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from '../events';
import { emitExplain } from '../explain/explain-events';
import { controls, panel } from '../styles/shared';
import { paintPlanes } from '../pixels';

export interface MisclassifiedImages {
  actual: number;
  predicted: number;
  /** Test-set indices. */
  indices: number[];
  rows: number;
  cols: number;
  /** Colour planes per image (absent: 1). */
  channels?: number;
  /** indices.length·channels·rows·cols bytes (may be fewer while loading). */
  images?: Uint8Array;
}

@customElement('cp-confusion-matrix')
export class CpConfusionMatrix extends LitElement {
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      /* The 10×10 table is wider than a narrow column: it scrolls rather than pushing the column wider. */
      .panel { overflow-x: auto; }
      table { border-collapse: collapse; font-size: 0.75rem; font-variant-numeric: tabular-nums; width: 100%; max-width: 420px; table-layout: fixed; }
      caption { text-align: left; font-weight: 600; font-size: 0.95rem; margin-bottom: 6px; }
      th { font-weight: 600; padding: 2px 4px; color: var(--cp-muted, #5c6270); }
      td { padding: 0; }
      td button { width: 100%; min-width: 0; height: 2em; letter-spacing: -0.02em; border-radius: 0; border: 1px solid #fff; padding: 0; font-size: 0.72rem; }
      td button[aria-pressed='true'] { outline: 2px solid #c92a2a; outline-offset: -2px; }
      .corner { font-weight: 400; font-size: 0.7rem; }
      .images { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 8px; }
      .images button.open { padding: 0; border: 0; background: none; cursor: pointer; border-radius: 3px; }
      .images button.open:focus-visible { outline: 2px solid var(--cp-accent, #3b5bdb); outline-offset: 2px; }
      .images canvas { width: 42px; height: 42px; image-rendering: pixelated; background: #000; border-radius: 3px; }
      p { font-size: 0.8rem; margin: 8px 0 0; }
    `,
  ];

  @property({ attribute: false }) confusion?: Uint32Array;
  @property({ attribute: false }) classNames: readonly string[] = [];
  @property({ attribute: false }) selected?: MisclassifiedImages;
  /** Whether per-image predictions are available to show a cell's images. */
  @property({ type: Boolean }) canShowImages = false;
  @property() epochLabel = '';

  override render() {
    const m = this.confusion;
    if (!m) return html`<section class="panel" aria-label="Confusion matrix"><h2>Confusion matrix</h2>
      <p class="muted">Appears after the first epoch's evaluation on the test images.</p></section>`;
    const n = Math.round(Math.sqrt(m.length));
    let max = 1;
    for (let t = 0; t < n; t++) for (let p = 0; p < n; p++) if (t !== p) max = Math.max(max, m[t * n + p]!);
    const name = (i: number) => this.classNames[i] ?? String(i);
    return html`<section class="panel" aria-label="Confusion matrix section">
      <table>
        <caption>Confusion matrix ${this.epochLabel ? html`<span class="muted">(${this.epochLabel})</span>` : nothing}</caption>
        <thead><tr><th class="corner" scope="col">true ↓ / predicted →</th>${Array.from({ length: n }, (_, p) => html`<th scope="col">${name(p)}</th>`)}</tr></thead>
        <tbody>
          ${Array.from({ length: n }, (_, t) => html`<tr>
            <th scope="row">${name(t)}</th>
            ${Array.from({ length: n }, (_, p) => {
              const v = m[t * n + p]!;
              const diag = t === p;
              // The diagonal's shade is the class's recall (any test-set size); mistakes scale to the largest.
              const rowTotal = diag ? m.subarray(t * n, t * n + n).reduce((x, y) => x + y, 0) : 0;
              const a = diag ? 0.15 + 0.5 * Math.min(1, v / Math.max(1, rowTotal)) : v === 0 ? 0 : 0.12 + 0.78 * Math.sqrt(v / max);
              const bg = diag ? `rgba(43, 138, 62, ${a})` : `rgba(201, 42, 42, ${a})`;
              const pressed = this.selected?.actual === t && this.selected?.predicted === p;
              return html`<td><button style=${`background:${bg};color:${a > 0.55 ? '#fff' : '#1b1b1f'}`} aria-pressed=${pressed ? 'true' : 'false'}
                aria-label=${`True ${name(t)}, predicted ${name(p)}: ${v} image${v === 1 ? '' : 's'}`}
                @click=${() => emit(this, 'cp-confusion-pick', { actual: t, predicted: p })}>${v}</button></td>`;
            })}
          </tr>`)}
        </tbody>
      </table>
      ${this.#images()}
    </section>`;
  }

  #images() {
    const s = this.selected;
    if (!s) return html`<p class="muted">Choose a cell to see its images.</p>`;
    const title = `True ${this.classNames[s.actual] ?? s.actual}, predicted ${this.classNames[s.predicted] ?? s.predicted}`;
    if (!this.canShowImages) return html`<p class="muted">${title}. Showing the images needs per-image predictions from the engine (not available yet).</p>`;
    if (s.indices.length === 0) return html`<p>${title}: no images.</p>`;
    return html`<p>${title}: ${s.indices.length} image${s.indices.length === 1 ? '' : 's'}${s.indices.length > 60 ? ' (first 60 shown)' : ''}.</p>
      <div class="images" role="group" aria-label=${`${title} images`}>
        ${s.indices.slice(0, 60).map((idx, k) => html`<button class="open" aria-label=${`Look inside test image ${idx + 1}`} title="Open in the look-inside panels"
            @click=${() => emitExplain(this, 'cp-test-image', { index: idx })}><canvas role="img" data-k=${k} width=${s.cols} height=${s.rows} aria-label=${`Test image ${idx + 1}`}></canvas></button>`)}
      </div>`;
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const s = this.selected;
    if (!s?.images) return;
    const C = s.channels ?? 1;
    const px = s.rows * s.cols;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-k]')) {
      const k = Number(canvas.dataset['k']);
      const ctx = canvas.getContext('2d');
      if (!ctx || (k + 1) * C * px > s.images.length) continue;
      const img = ctx.createImageData(s.cols, s.rows);
      paintPlanes(img.data, s.images, k, C, px);
      ctx.putImageData(img, 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-confusion-matrix': CpConfusionMatrix;
  }
}
