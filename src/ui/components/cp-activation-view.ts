// Why: what each layer "sees" for one image: every channel of a conv/pool layer as a small picture,
// dense layers as a strip of cells. Colour normalisation per map shows each channel's pattern; per
// layer shows which channels respond most. Pictures are drawn with putImageData on tiny canvases
// scaled up by CSS (pixelated), so a redraw every second costs little.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CellPosition, LayerActivations } from '../../worker/protocol';
import { paintSequential, rangeOf, type Normalisation } from '../colormap';
import { colorScale, colorScaleStyles } from '../color-scale';
import { NotationController, shapeLabel } from '../shape-notation';
import { pickCellFromClick, pickCellFromKey } from '../explain/map-picking';
import { controls, panel } from '../styles/shared';

/** At most this many channels per layer are drawn (the rest are counted). */
export const MAX_CHANNELS = 64;

/** Columns of a 1-D strip: a square for 784 = 28², else up to 32 per row. */
export function stripColumns(n: number): number {
  const r = Math.round(Math.sqrt(n));
  if (r * r === n && n > 64) return r;
  return Math.min(n, 32);
}

@customElement('cp-activation-view')
export class CpActivationView extends LitElement {
  static override styles = [
    panel,
    controls,
    colorScaleStyles,
    css`
      :host { display: block; }
      .head { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; justify-content: space-between; }
      .layer { margin-top: 10px; }
      h3 { font-size: 0.82rem; margin: 0 0 4px; font-weight: 600; }
      h3 span { font-weight: 400; color: var(--cp-muted, #5c6270); }
      .maps { display: flex; flex-wrap: wrap; gap: 3px; }
      canvas { image-rendering: pixelated; border-radius: 2px; background: #14122f; }
      canvas.map { width: 44px; height: 44px; }
      canvas.strip { max-width: 100%; }
      .more { font-size: 0.75rem; color: var(--cp-muted, #5c6270); align-self: center; }
      h3 { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: center; }
      .classes { display: flex; font-size: 0.68rem; color: var(--cp-muted, #5c6270); text-align: center; font-variant-numeric: tabular-nums; }
      .classes span { overflow: hidden; white-space: nowrap; }
      canvas[tabindex] { cursor: crosshair; }
      canvas.picked { outline: 2px solid #ff3d7f; outline-offset: 1px; }
    `,
  ];

  @property({ attribute: false }) layers: LayerActivations[] = [];
  /** layerId → kind, for the headings. */
  @property({ attribute: false }) kinds: ReadonlyMap<string, string> = new Map();
  @property({ attribute: false }) input?: Float32Array;
  /** Names of the classes, written under the output layer's cells. */
  @property({ attribute: false }) classNames: readonly string[] = [];
  readonly notation = new NotationController(this);
  /** The cell whose computation is being explained (its map is outlined). */
  @property({ attribute: false }) picked?: { layerId: string; at: CellPosition };
  @state() private normalisation: Normalisation = 'map';

  override render() {
    return html`<section class="panel" aria-label="Activations">
      <div class="head">
        <h2>Activations</h2>
        <label>Normalisation
          <select aria-label="Normalisation" @change=${(e: Event) => (this.normalisation = (e.target as HTMLSelectElement).value as Normalisation)}>
            <option value="map" ?selected=${this.normalisation === 'map'}>per map</option>
            <option value="layer" ?selected=${this.normalisation === 'layer'}>per layer</option>
          </select>
        </label>
      </div>
      ${this.layers.length === 0
        ? html`<p class="muted">Train (or Step) once, then pick an image or draw one: every layer's output appears here.</p>`
        : html`<p class="muted">Click any cell of a map (or focus a map and press Enter) to see how its value was computed.</p>`}
      ${this.layers.map((l, li) => this.#layer(l, li))}
    </section>`;
  }

  #layer(l: LayerActivations, li: number) {
    const kind = this.kinds.get(l.layerId) ?? '';
    const shape = shapeLabel(l.shape);
    const range = rangeOf(l.data);
    const key = colorScale('sequential', range.min, range.max, `${l.layerId} colour scale`);
    const perMap = this.normalisation === 'map' && l.shape.length === 3 ? html`<span class="more">each map stretched to its own range; this layer:</span>` : nothing;
    if (l.shape.length === 3) {
      const [C, H, W] = l.shape as [number, number, number];
      const shown = Math.min(C, MAX_CHANNELS);
      return html`<div class="layer">
        <h3>${l.layerId} <span>${kind} · ${shape}</span> ${perMap} ${key}</h3>
        <div class="maps" role="group" aria-label=${`${l.layerId} feature maps`}>
          ${Array.from({ length: shown }, (_, c) => html`<canvas class=${this.#pickedClass(l.layerId, c, 'map')} data-layer=${li} data-channel=${c} data-layer-id=${l.layerId} width=${W} height=${H}
            role="img" aria-label=${`${l.layerId} channel ${c + 1} of ${C}`} tabindex="0" @click=${pickCellFromClick} @keydown=${pickCellFromKey}></canvas>`)}
          ${C > shown ? html`<span class="more">+${C - shown} more</span>` : nothing}
        </div>
      </div>`;
    }
    const n = l.data.length;
    const cols = stripColumns(n);
    const rows = Math.ceil(n / cols);
    const scale = Math.max(2, Math.min(16, Math.floor(320 / cols)));
    const top = n <= 10 ? [...l.data].map((v, i) => `${i}: ${v.toFixed(2)}`).join(', ') : `${n} values`;
    // The output layer's cells are the classes: name them.
    const names = n === this.classNames.length && li === this.layers.length - 1 ? this.classNames : null;
    return html`<div class="layer">
      <h3>${l.layerId} <span>${kind} · ${shape}</span> ${key}</h3>
      <canvas class=${this.#pickedClass(l.layerId, -1, 'strip')} data-layer=${li} data-channel="-1" data-layer-id=${l.layerId} data-count=${n} width=${cols} height=${rows} style=${`width:${cols * scale}px;height:${rows * scale}px`}
        role="img" aria-label=${`${l.layerId} outputs: ${top}`} tabindex="0" @click=${pickCellFromClick} @keydown=${pickCellFromKey}></canvas>
      ${names ? html`<div class="classes" aria-hidden="true">${names.map((c) => html`<span style=${`width:${scale}px`} title=${c}>${c.length > 3 && scale < 30 ? c.slice(0, 3) : c}</span>`)}</div>` : nothing}
    </div>`;
  }

  #pickedClass(layerId: string, channel: number, base: string): string {
    const p = this.picked;
    return p && p.layerId === layerId && (channel < 0 || p.at.c === channel) ? `${base} picked` : base;
  }

  protected override updated(): void {
    const perLayer = this.normalisation === 'layer';
    const ranges = perLayer ? this.layers.map((l) => rangeOf(l.data)) : [];
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]')) {
      const l = this.layers[Number(canvas.dataset['layer'])];
      const ctx = canvas.getContext('2d');
      if (!l || !ctx) continue;
      const c = Number(canvas.dataset['channel']);
      const w = canvas.width, h = canvas.height;
      const img = ctx.createImageData(w, h);
      if (c < 0) {
        const n = l.data.length;
        // A strip is one map: per map and per layer agree.
        const range = rangeOf(l.data);
        // Pad the last row with the minimum colour.
        const padded = new Float32Array(w * h).fill(range.min);
        padded.set(l.data.subarray(0, n));
        paintSequential(img.data, w, 0, 0, padded, 0, w, h, range);
      } else {
        const start = c * w * h;
        const range = perLayer ? ranges[Number(canvas.dataset['layer'])]! : rangeOf(l.data, start, start + w * h);
        paintSequential(img.data, w, 0, 0, l.data, start, w, h, range);
      }
      ctx.putImageData(img, 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-activation-view': CpActivationView;
  }
}
