// Why: the lecture draws every network as volumes (28×28×1 → 28×28×32 → 14×14×32 …); a student expects
// that picture. Each stage is a box whose face is sized by H×W and whose depth by C, a dense or flat
// output is a bar, the filter window is drawn on the input it slides over, and elementwise layers
// (ReLU, batch-norm, dropout …) ride on the box they follow. It is redrawn from model/'s shapes on
// every edit; a click (or Enter) on a stage selects that layer; while training, each box shows its
// first map for the image being looked at. "Export SVG" saves the drawing for a report.
import { css, html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ARC_ROOM, residualArcs } from './residual-arcs';
import { projectionId, type LayerKind, type NetworkAnalysis, type NetworkSpec, type Shape } from '../../model';
import type { LayerActivations } from '../../worker/protocol';
import { paintSequential, rangeOf } from '../colormap';
import { download } from '../download';
import { emit } from '../events';
import { LAYER_INFO } from '../layer-info';
import { NotationController, setShapeNotation, shapeLabel, shapeNotation, type ShapeNotation } from '../shape-notation';
import { controls, panel } from '../styles/shared';

/** Layers that keep the shape and change values one by one: drawn on the box before them. */
const RIDERS: ReadonlySet<LayerKind> = new Set<LayerKind>(['relu', 'sigmoid', 'tanh', 'leaky-relu', 'batch-norm', 'dropout']);

interface Stage {
  /** The layer the box stands for (undefined: the input). */
  id?: string;
  kind: LayerKind | 'input';
  /** The elementwise layers drawn on this box. */
  riders: { id: string; kind: LayerKind }[];
  shape: Shape | null;
  /** F of a conv or pool (the window drawn on the input). */
  window?: number;
  /** The layer whose output the box shows (the last rider's, else the stage's). */
  lastId?: string;
}

/** Groups the layers into stages. */
export function stagesOf(_spec: NetworkSpec, analysis: NetworkAnalysis): Stage[] {
  const stages: Stage[] = [{ kind: 'input', riders: [], shape: analysis.input }];
  const projections = new Set(analysis.blocks.map((b) => projectionId(b.id)));
  analysis.leaves.forEach((l, i) => {
    if (projections.has(l.id)) return;
    const a = analysis.layers[i];
    const prev = stages[stages.length - 1]!;
    if (RIDERS.has(l.kind) && prev.kind !== 'input') {
      prev.riders.push({ id: l.id, kind: l.kind });
      prev.lastId = l.id;
      return;
    }
    const F = a?.geometry ? a.geometry.FH : undefined;
    stages.push({ id: l.id, kind: l.kind, riders: [], shape: a?.outShape ?? null, ...(F !== undefined && { window: F }), lastId: l.id });
  });
  return stages;
}

// Drawing scale: a face side grows with the square root of H (28 → 64 px), depth with log2 C.
const face = (n: number) => Math.max(10, Math.min(72, 12 * Math.sqrt(n)));
const depth = (c: number) => Math.max(4, Math.min(40, 6 * Math.log2(c + 1)));
const bar = (n: number) => Math.max(16, Math.min(96, 22 * Math.log10(n + 1)));
// A row: the volumes, three lines of labels, and room above the next row for its skip arcs.
const ROW_H = 136 + ARC_ROOM;
const LABELS_END = 132;
const GAP = 22;
const LABEL_W = 76;

interface Placed {
  stage: Stage;
  x: number;
  y: number;
  w: number;
  h: number;
  d: number;
  row: number;
}

@customElement('cp-network-diagram')
export class CpNetworkDiagram extends LitElement {
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      .head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
      .head { flex-wrap: wrap; }
      .head h2 { margin: 0; }
      .tools { display: flex; gap: 8px; align-items: center; font-size: 0.8rem; }
      svg { display: block; width: 100%; overflow: visible; font-family: var(--cp-font, system-ui, sans-serif); }
      .stage { cursor: pointer; outline: none; }
      .hit { fill: transparent; }
      .stage:focus-visible .front, .stage.selected .front { stroke: var(--cp-accent, #3b5bdb); stroke-width: 2.5; }
      .front { fill: #e7ecfb; stroke: #5a6a9a; stroke-width: 1; }
      .top { fill: #f3f5fc; stroke: #5a6a9a; stroke-width: 1; }
      .side { fill: #c9d2ef; stroke: #5a6a9a; stroke-width: 1; }
      .bar { fill: #ffe8cc; stroke: #b06a20; }
      .input .front { fill: #eee; }
      .name { font-size: 11px; font-weight: 600; fill: #1b1b1f; }
      .shape { font-size: 10.5px; fill: #1b1b1f; font-variant-numeric: tabular-nums; }
      .riders { font-size: 9.5px; fill: #5c6270; }
      .win { fill: rgb(201 42 42 / 0.18); stroke: #c92a2a; stroke-width: 1; }
      .ray { stroke: #c92a2a; stroke-width: 0.8; stroke-dasharray: 3 2; }
      .flow { stroke: #9aa3b5; stroke-width: 1; marker-end: url(#arrow); }
      .error .front, .error .top, .error .side { fill: #fff5f5; stroke: #c92a2a; }
      .note { font-size: 0.75rem; margin: 2px 0 0; }
      .skip path { fill: none; stroke: #2b8a3e; stroke-width: 1.4; }
      .skip circle { fill: #fff; stroke: #2b8a3e; stroke-width: 1.2; }
      .skip .plus { stroke-width: 1.2; }
      .skip text { font-size: 9.5px; fill: #2b8a3e; }
      .skip.bad path, .skip.bad circle { stroke: #c92a2a; }
      .skip.bad text { fill: #c92a2a; }
    `,
  ];

  @property({ attribute: false }) spec?: NetworkSpec;
  @property({ attribute: false }) analysis?: NetworkAnalysis;
  @property() selectedId = '';
  /** The maps of the image being looked at (from the built network); empty when none. */
  @property({ attribute: false }) activations: LayerActivations[] = [];
  readonly notation = new NotationController(this);
  @state() private width = 600;
  #resize?: ResizeObserver;
  /** Thumbnails as data URLs, by layer id (rebuilt when the activations change). */
  #thumbs = new Map<string, string>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && Math.abs(w - this.width) > 2) this.width = w;
    });
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('activations')) this.#thumbs = thumbnails(this.activations);
  }

  #place(stages: Stage[]): { placed: Placed[]; rows: number } {
    const inner = Math.max(200, this.width - 28);
    const natural = stages.map((stage) => {
      const s = stage.shape;
      return !s ? [30, 30, 6] : s.length === 3 ? [face(s[2]), face(s[1]), depth(s[0])] : [12, bar(s[0]), 0];
    });
    // Shrink the volumes (never the labels) so that the network fits one row when it can.
    const total = natural.reduce((sum, [w, , d]) => sum + Math.max(w! + d!, LABEL_W) + GAP, -GAP);
    const k = total > inner ? Math.max(0.6, inner / total) : 1;
    const placed: Placed[] = [];
    let x = 0, row = 0;
    stages.forEach((stage, i) => {
      const [w0, h0, d0] = natural[i]!;
      const [w, h, d] = [w0! * k, h0! * k, d0! * k];
      const slot = Math.max(w + d, LABEL_W * Math.max(k, 0.85));
      if (x > 0 && x + slot > inner) {
        x = 0;
        row++;
      }
      placed.push({ stage, x: x + (slot - w - d) / 2, y: row * ROW_H + 10 + (84 - h) / 2 + d / 2, w, h, d, row });
      x += slot + GAP * k;
    });
    return { placed, rows: row + 1 };
  }

  override render() {
    if (!this.spec || !this.analysis) return nothing;
    const stages = stagesOf(this.spec, this.analysis);
    const { placed, rows } = this.#place(stages);
    // The last row needs no arc room below it: its labels end at LABELS_END.
    const height = (rows - 1) * ROW_H + LABELS_END;
    const flows = placed.slice(1).map((p, i) => {
      const a = placed[i]!;
      if (a.row !== p.row) return nothing;
      const y = p.row * ROW_H + 52;
      return svg`<line class="flow" x1=${a.x + a.w + a.d + 3} y1=${y} x2=${p.x - 4} y2=${y}></line>`;
    });
    return html`<section class="panel" aria-label="Network drawing">
      <div class="head">
        <h2>The network as volumes</h2>
        <span class="tools">
          <label>Shapes <select aria-label="Shape notation" @change=${(e: Event) => setShapeNotation((e.target as HTMLSelectElement).value as ShapeNotation)}>
            <option value="hwc" ?selected=${shapeNotation() === 'hwc'}>H×W×C (lecture)</option>
            <option value="chw" ?selected=${shapeNotation() === 'chw'}>C×H×W (code)</option>
          </select></label>
          <button @click=${this.#exportSvg} aria-label="Export the drawing as SVG">Export SVG</button>
        </span>
      </div>
      <svg viewBox=${`-4 ${-ARC_ROOM} ${Math.max(200, this.width - 20)} ${height + ARC_ROOM}`} height=${height + ARC_ROOM} role="group" aria-label="Network drawing: click a stage to select its layer">
        <defs><marker id="arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#9aa3b5"></path></marker></defs>
        ${flows}
        ${residualArcs(this.spec, this.analysis, placed.map((p) => ({ ...p, ids: [p.stage.id ?? '', ...p.stage.riders.map((r) => r.id)] })), ROW_H)}
        ${placed.map((p, i) => this.#stage(p, i > 0 ? placed[i - 1] : undefined))}
      </svg>
      ${this.activations.length === 0 ? html`<p class="note muted">After Train or Step, each box shows its first map for the image being looked at.</p>` : nothing}
    </section>`;
  }

  #stage(p: Placed, prev: Placed | undefined) {
    const { stage, x, y, w, h, d } = p;
    const selected = !!stage.id && (stage.id === this.selectedId || stage.riders.some((r) => r.id === this.selectedId));
    const error = stage.shape === null;
    const label = stage.id ?? 'input';
    const shapeText = stage.shape ? shapeLabel(stage.shape) : "doesn't fit";
    const cx = x + (w + d) / 2;
    const labelY = p.row * ROW_H + 104;
    // A thin dense bar is a small target: the whole column, drawing and labels, takes the click.
    const hitW = Math.max(w + d, 36);
    const thumb = stage.lastId ? this.#thumbs.get(stage.lastId) : undefined;
    const box = stage.shape && stage.shape.length === 1
      ? svg`<rect class="bar" x=${x} y=${y} width=${w} height=${h} rx="2"></rect>`
      : svg`<path class="top" d=${`M${x},${y} l${d},${-d} h${w} l${-d},${d} z`}></path>
          <path class="side" d=${`M${x + w},${y} l${d},${-d} v${h} l${-d},${d} z`}></path>
          <rect class="front" x=${x} y=${y} width=${w} height=${h}></rect>
          ${thumb ? svg`<image href=${thumb} x=${x + 1} y=${y + 1} width=${w - 2} height=${h - 2} preserveAspectRatio="none" style="image-rendering:pixelated"></image>` : nothing}`;
    // The filter window on the input volume, with rays to the output it makes.
    let win: unknown = nothing;
    if (stage.window && prev && prev.stage.shape?.length === 3 && prev.row === p.row) {
      const H = prev.stage.shape[1];
      const s = Math.max(4, (prev.h * stage.window) / H);
      const wx = prev.x + prev.w - s - 2, wy = prev.y + 2;
      win = svg`<rect class="win" x=${wx} y=${wy} width=${s} height=${s}></rect>
        <line class="ray" x1=${wx + s} y1=${wy} x2=${x + w * 0.7} y2=${y + h * 0.3}></line>
        <line class="ray" x1=${wx + s} y1=${wy + s} x2=${x + w * 0.7} y2=${y + h * 0.3}></line>`;
    }
    const riders = stage.riders.map((r) => r.kind).join(' + ');
    // Under the volume the riders are short ("+ BN + ReLU"): their full names overlap the next stage's.
    const shortRiders = stage.riders.map((r) => LAYER_INFO[r.kind].short ?? LAYER_INFO[r.kind].title).join(' + ');
    const aria = `${label}${stage.kind !== 'input' ? ` (${stage.kind}${riders ? ` + ${riders}` : ''})` : ''}: ${shapeText}`;
    return svg`${win}<g class=${`stage ${stage.kind === 'input' ? 'input' : ''} ${selected ? 'selected' : ''} ${error ? 'error' : ''}`}
        role=${stage.id ? 'button' : 'img'} tabindex=${stage.id ? '0' : '-1'} aria-label=${stage.id ? `Select ${aria}` : aria} aria-pressed=${stage.id ? String(selected) : nothing}
        @click=${() => stage.id && emit(this, 'cp-layer-select', { id: stage.id })}
        @keydown=${(e: KeyboardEvent) => this.#key(e, stage)}>
        <title>${aria}</title>
        <rect class="hit" x=${cx - hitW / 2} y=${p.row * ROW_H + 2} width=${hitW} height=${LABELS_END - 2}></rect>
        ${box}
        <text class="name" x=${cx} y=${labelY} text-anchor="middle">${label}</text>
        <text class="shape" x=${cx} y=${labelY + 13} text-anchor="middle">${shapeText}</text>
        ${riders ? svg`<text class="riders" x=${cx} y=${labelY + 25} text-anchor="middle">+ ${shortRiders}</text>` : nothing}
      </g>`;
  }

  #key(e: KeyboardEvent, stage: Stage) {
    if (!stage.id || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    emit(this, 'cp-layer-select', { id: stage.id });
  }

  #exportSvg = () => {
    const el = this.renderRoot.querySelector('svg');
    if (!el) return;
    const copy = el.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('width', String(el.viewBox.baseVal.width));
    // The page's styles live in the shadow root; the file carries them along.
    const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
    style.textContent = [...this.shadowRoot!.adoptedStyleSheets].flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n');
    copy.prepend(style);
    download(new XMLSerializer().serializeToString(copy), 'network.svg', 'image/svg+xml');
  };
}

/** The first map of each [C, H, W] activation as a PNG data URL (viridis-like, its own range). */
function thumbnails(layers: readonly LayerActivations[]): Map<string, string> {
  const out = new Map<string, string>();
  if (layers.length === 0) return out;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return out;
  for (const l of layers) {
    if (l.shape.length !== 3) continue;
    const H = l.shape[1]!, W = l.shape[2]!;
    canvas.width = W;
    canvas.height = H;
    const img = ctx.createImageData(W, H);
    paintSequential(img.data, W, 0, 0, l.data, 0, W, H, rangeOf(l.data, 0, W * H));
    ctx.putImageData(img, 0, 0);
    out.set(l.layerId, canvas.toDataURL());
  }
  return out;
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-network-diagram': CpNetworkDiagram;
  }
}
