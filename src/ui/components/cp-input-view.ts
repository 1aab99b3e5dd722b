// Why: a drawing on the pad is not what the network sees: it is centred, shrunk to 28×28 and
// normalised like MNIST. This shows those 28×28 values, beside the drawing (or the test image), so a
// learner can tell a bad drawing from a bad network.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { colorScale, colorScaleStyles } from '../color-scale';
import { paintSequential, rangeOf } from '../colormap';
import { NotationController, shapeLabel } from '../shape-notation';
import { paintRgbFloat } from '../pixels';

@customElement('cp-input-view')
export class CpInputView extends LitElement {
  static override styles = [
    colorScaleStyles,
    css`
      :host { display: inline-flex; flex-direction: column; gap: 4px; font-size: 0.72rem; color: var(--cp-muted, #5c6270); }
      canvas { width: 84px; height: 84px; image-rendering: pixelated; border-radius: 4px; background: #14122f; }
      .scale .ramp { width: 40px; }
    `,
  ];

  /** The network's input for the image looked at (normalised, C planes of H×W). */
  @property({ attribute: false }) input?: Float32Array;
  /** C: 1 is drawn with the colour scale, 3 in colour. (Not named `C`: minified Lit uses that name.) */
  @property({ type: Number }) channels = 1;
  @property({ type: Number }) H = 28;
  @property({ type: Number }) W = 28;
  readonly notation = new NotationController(this);

  override render() {
    if (!this.input) return nothing;
    const r = rangeOf(this.input);
    const colour = this.channels === 3 && this.input.length === 3 * this.H * this.W;
    return html`<span>The network sees ${shapeLabel([colour ? 3 : 1, this.H, this.W])}</span>
      <canvas width=${this.W} height=${this.H} role="img" aria-label=${`The ${colour ? 'colour ' : ''}${this.H}×${this.W} input the network sees`}></canvas>
      ${colour ? html`<span>in colour (R, G, B)</span>` : colorScale('sequential', r.min, r.max, 'input colour scale')}`;
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !this.input) return;
    const img = ctx.createImageData(this.W, this.H);
    const r = rangeOf(this.input);
    if (this.channels === 3 && this.input.length === 3 * this.H * this.W) paintRgbFloat(img.data, this.input, this.H * this.W, r.min, r.max);
    else paintSequential(img.data, this.W, 0, 0, this.input, 0, this.W, this.H, rangeOf(this.input));
    ctx.putImageData(img, 0, 0);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-input-view': CpInputView;
  }
}
