// Why: what the network has learned to look for. The first conv layer's filters are small images of
// the pixels they respond to; a deeper layer's filter has one slice per input channel, drawn as a
// mosaic (rows: filters K, columns: input channels C). A dense layer reading the 28×28 image directly
// (the MLP) shows each unit's weights as an image too. Blue is negative, red positive, white zero.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { paintDiverging } from '../colormap';
import { colorScale, colorScaleStyles } from '../color-scale';
import { panel } from '../styles/shared';

export interface LayerWeights {
  layerId: string;
  /** conv: [K, C, FH, FW]; dense: [units, inputs]. */
  shape: number[];
  data: Float32Array;
  /** A dense layer whose inputs are a 28×28 image. */
  image?: { H: number; W: number };
}

const MAX_K = 64;
const MAX_C = 32;
/** Filters (rows) shown of a deeper layer. */
const MAX_ROWS = 16;

interface Mosaic {
  rows: number;
  cols: number;
  th: number;
  tw: number;
  tile(r: number, c: number): number;
  caption: string;
  /** Colour filters of the first layer: each tile is 3 planes drawn as R, G, B. */
  rgb?: boolean;
}

/** A 3-plane filter as a colour tile: mid-grey is 0, each channel brighter for positive weights. */
function paintFilterRgb(out: Uint8ClampedArray, width: number, x0: number, y0: number, data: Float32Array, start: number, tw: number, th: number, absMax: number): void {
  const k = absMax > 0 ? 127 / absMax : 0;
  const plane = tw * th;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const o = 4 * ((y0 + y) * width + x0 + x);
      for (let c = 0; c < 3; c++) out[o + c] = 128 + data[start + c * plane + y * tw + x]! * k;
      out[o + 3] = 255;
    }
  }
}

function mosaic(w: LayerWeights, first: boolean): Mosaic {
  if (w.shape.length === 4) {
    const [K, C, FH, FW] = w.shape as [number, number, number, number];
    if (first || C === 1) {
      const cols = Math.min(16, K);
      const n = Math.min(K, MAX_K);
      const rgb = first && C === 3;
      return { rows: Math.ceil(n / cols), cols, th: FH, tw: FW, tile: (r, c) => (r * cols + c < n ? (r * cols + c) * C * FH * FW : -1), caption: `${K} filters of ${C}×${FH}×${FW}${rgb ? ' in colour (grey = 0; red, green, blue: positive weights on that channel)' : ''}`, rgb };
    }
    return { rows: Math.min(K, MAX_ROWS), cols: Math.min(C, MAX_C), th: FH, tw: FW, tile: (r, c) => (r * C + c) * FH * FW,
      caption: `${K} filters × ${C} input channels of ${FH}×${FW} (rows: filters, columns: input channels${K > MAX_ROWS || C > MAX_C ? `; first ${Math.min(K, MAX_ROWS)}×${Math.min(C, MAX_C)} shown` : ''})` };
  }
  const [units] = w.shape as [number, number];
  const { H, W } = w.image!;
  const n = Math.min(units, MAX_K);
  const cols = Math.min(16, n);
  return { rows: Math.ceil(n / cols), cols, th: H, tw: W, tile: (r, c) => (r * cols + c < n ? (r * cols + c) * H * W : -1), caption: `${units} units, each weighing the ${H}×${W} image` };
}

@customElement('cp-filter-view')
export class CpFilterView extends LitElement {
  static override styles = [
    panel,
    colorScaleStyles,
    css`
      :host { display: block; }
      .layer { margin-top: 8px; }
      h3 { font-size: 0.82rem; margin: 0 0 4px; }
      h3 span { font-weight: 400; color: var(--cp-muted, #5c6270); }
      .key { margin: 0 0 4px; }
      canvas { image-rendering: pixelated; max-width: 100%; background: #dee2e6; }
    `,
  ];

  @property({ attribute: false }) weights: LayerWeights[] = [];

  override render() {
    return html`<section class="panel" aria-label="Filters">
      <h2>Filters</h2>
      ${this.weights.length === 0 ? html`<p class="muted">The weights of conv layers appear here once the network is built.</p>` : nothing}
      ${this.weights.map((w, i) => {
        const m = mosaic(w, i === 0);
        const gw = m.cols * (m.tw + 1) + 1, gh = m.rows * (m.th + 1) + 1;
        const scale = Math.max(1, Math.min(8, Math.floor(480 / gw)));
        let absMax = 0;
        for (const v of w.data) if (Number.isFinite(v)) absMax = Math.max(absMax, Math.abs(v));
        return html`<div class="layer">
          <h3>${w.layerId} <span>${m.caption}</span></h3>
          ${m.rgb ? nothing : html`<div class="key">${colorScale('diverging', -absMax, absMax, `${w.layerId} weight colour scale`)}</div>`}
          <canvas data-index=${i} width=${gw} height=${gh} style=${`width:${gw * scale}px`} role="img" aria-label=${`${w.layerId} filters: ${m.caption}`}></canvas>
        </div>`;
      })}
    </section>`;
  }

  protected override updated(): void {
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-index]')) {
      const i = Number(canvas.dataset['index']);
      const w = this.weights[i];
      const ctx = canvas.getContext('2d');
      if (!w || !ctx) continue;
      const m = mosaic(w, i === 0);
      let absMax = 0;
      for (const v of w.data) if (Number.isFinite(v)) absMax = Math.max(absMax, Math.abs(v));
      const img = ctx.createImageData(canvas.width, canvas.height);
      img.data.fill(220);
      for (let r = 0; r < m.rows; r++) {
        for (let c = 0; c < m.cols; c++) {
          const start = m.tile(r, c);
          if (start < 0) continue;
          if (m.rgb) paintFilterRgb(img.data, canvas.width, 1 + c * (m.tw + 1), 1 + r * (m.th + 1), w.data, start, m.tw, m.th, absMax);
          else paintDiverging(img.data, canvas.width, 1 + c * (m.tw + 1), 1 + r * (m.th + 1), w.data, start, m.tw, m.th, absMax);
        }
      }
      ctx.putImageData(img, 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-filter-view': CpFilterView;
  }
}
