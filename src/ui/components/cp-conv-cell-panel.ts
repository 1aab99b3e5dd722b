// Why: the course's central picture in numbers: the filter over the input window, one product per
// tap, a sum per input channel, plus the bias — equal to the value on the map. Every number comes from
// the engine (explain-cell); this component only lays them out and lets the student pick a channel.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConvCell } from '../../worker/protocol';
import { drawReceptiveField, drawTaps } from '../explain/cell-drawing';
import { num, rc } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';

@customElement('cp-conv-cell-panel')
export class CpConvCellPanel extends LitElement {
  static override styles = [explainStyles, css`:host { display: block; }`];

  @property({ attribute: false }) cell?: ConvCell;
  /** The input channel whose window, weights and products are shown in full. */
  @state() private channel = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('cell') && this.cell && this.channel >= this.cell.geometry.C) this.channel = 0;
  }

  override render() {
    const c = this.cell;
    if (!c) return nothing;
    const g = c.geometry;
    const ch = c.channels[this.channel]!;
    const cols = `repeat(${g.FW}, auto)`;
    const grid = (label: string, values: ArrayLike<number>, cls: string) => html`<div class="grid ${cls}" role="table" aria-label=${label} style=${`grid-template-columns:${cols}`}>
      ${Array.from(values, (v, t) => {
        const pad = ch.padding[t] === 1;
        return html`<span role="cell" class=${pad && cls !== 'w' ? 'pad' : ''} title=${pad && cls !== 'w' ? 'padding (zero)' : ''}>${pad && cls === 'x' ? '0' : num(v)}</span>`;
      })}
    </div>`;
    const rf = c.receptiveField;
    const diff = Math.abs(c.total - c.preActivation);
    return html`
      <p class="lead">Filter ${c.at.c + 1} of ${g.K} (${g.FH}×${g.FW}×${g.C}, stride ${g.S}, padding ${g.PH === g.PW ? g.PH : `${g.PH}×${g.PW}`}${g.dilation > 1 ? html`, dilation ${g.dilation}: taps ${g.dilation} apart` : nothing})
        over the input window whose top-left tap is at ${rc(c.iy0, c.ix0)}${c.iy0 < 0 || c.ix0 < 0 || c.iy0 + (g.FH - 1) * g.dilation >= g.H || c.ix0 + (g.FW - 1) * g.dilation >= g.W ? ' (partly on the padding)' : ''}.</p>
      <div class="pictures">
        <figure>
          <canvas class="taps" role="img" aria-label=${`Input channel ${this.channel + 1} of ${g.C}, ${g.H}×${g.W} with padding, the filter's taps outlined`}></canvas>
          <figcaption>Input channel ${this.channel + 1} of ${g.C}${g.PH || g.PW ? ', padding hatched' : ''}</figcaption>
        </figure>
        <figure>
          <canvas class="rf" role="img" aria-label=${`Receptive field: input rows ${rf.y0}–${rf.y1}, columns ${rf.x0}–${rf.x1}`}></canvas>
          <figcaption>Receptive field on the image: ${rf.y1 - rf.y0 + 1}×${rf.x1 - rf.x0 + 1} pixels</figcaption>
        </figure>
      </div>
      <div class="equation" aria-label=${`Channel ${this.channel + 1}: window times weights`}>
        <div><h4>input x</h4>${grid(`Input window, channel ${this.channel + 1}`, ch.window, 'x')}</div>
        <span class="op">⊙</span>
        <div><h4>weights w</h4>${grid(`Weights, channel ${this.channel + 1}`, ch.weights, 'w')}</div>
        <span class="op">=</span>
        <div><h4>w·x</h4>${grid(`Products, channel ${this.channel + 1}`, ch.products, 'p')}</div>
        <span class="op">Σ</span>
        <div><h4>sum</h4><span class="big" aria-label=${`Channel ${this.channel + 1} sum`}>${num(ch.sum)}</span></div>
      </div>
      <div class="channels" role="group" aria-label="Sum per input channel (choose one to see its products)">
        ${c.channels.map((k, i) => html`<button class=${i === this.channel ? 'on' : ''} aria-pressed=${i === this.channel ? 'true' : 'false'}
            aria-label=${`Channel ${i + 1}: sum ${num(k.sum)}`} @click=${() => (this.channel = i)}>ch ${i + 1}: ${num(k.sum)}</button>`)}
      </div>
      <p class="total" role="status" aria-label="Convolution total">
        Σ over ${g.C} channel${g.C === 1 ? '' : 's'} ${num(c.total - c.bias)} + bias ${num(c.bias)} = <b>${num(c.total)}</b>;
        the engine's output: <b>${num(c.preActivation)}</b> ${diff <= 1e-4 * Math.max(1, Math.abs(c.total)) ? html`<span class="ok">✓ equal</span>` : html`<span class="bad">differs by ${num(diff)}</span>`}
      </p>
      ${c.activation
        ? html`<p class="total" aria-label="Activation">then ${c.activation.kind}(${num(c.preActivation)}) = <b>${num(c.activation.after)}</b>, the value on the map.</p>`
        : nothing}`;
  }

  protected override updated(): void {
    const c = this.cell;
    if (!c) return;
    const g = c.geometry;
    const taps: [number, number][] = [];
    for (let fy = 0; fy < g.FH; fy++) for (let fx = 0; fx < g.FW; fx++) taps.push([c.iy0 + fy * g.dilation, c.ix0 + fx * g.dilation]);
    const tapCanvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.taps');
    if (tapCanvas) drawTaps(tapCanvas, { data: c.input, start: this.channel * g.H * g.W, H: g.H, W: g.W, PH: g.PH, PW: g.PW, taps });
    const rf = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.rf');
    if (rf) drawReceptiveField(rf, c.image, c.imageShape, c.receptiveField, Math.max(3, Math.floor(150 / c.imageShape[1])));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-conv-cell-panel': CpConvCellPanel;
  }
}
