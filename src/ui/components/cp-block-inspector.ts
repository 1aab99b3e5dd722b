// Why: a selected residual block deserves the same arithmetic a layer gets: what goes in, what each
// branch gives, why they can (or cannot) be summed, what the projection costs, and what the block adds
// to the network. Every number comes from analyzeNetwork, so it is the one the engine builds.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fmt, projectionId, type BlockAnalysis, type LayerAnalysis, type ResidualBlock } from '../../model';
import { panel } from '../styles/shared';
import { shapeLabel } from './cp-layer-card';
import { bytesLabel } from './cp-layer-inspector';
import { NotationController } from '../shape-notation';

@customElement('cp-block-inspector')
export class CpBlockInspector extends LitElement {
  readonly notation = new NotationController(this);
  static override styles = [
    panel,
    css`
      :host { display: block; }
      dl { margin: 0; display: grid; gap: 10px; }
      dt { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--cp-muted, #5c6270); }
      dd { margin: 2px 0 0; font-size: 0.88rem; }
      .eq { font-family: var(--cp-math, 'STIX Two Math', 'Cambria Math', Georgia, serif); font-size: 0.95rem; overflow-wrap: anywhere; }
      .big { font-weight: 600; font-variant-numeric: tabular-nums; }
      .problem { color: var(--cp-error, #a61e1e); font-size: 0.85rem; }
      .sub { color: var(--cp-muted, #5c6270); font-size: 0.8rem; }
    `,
  ];

  @property({ attribute: false }) block?: ResidualBlock;
  @property({ attribute: false }) analysis?: BlockAnalysis;
  /** Every layer's analysis (the projection shortcut is one of them). */
  @property({ attribute: false }) layers: readonly LayerAnalysis[] = [];

  override render() {
    const b = this.block;
    const a = this.analysis;
    return html`<section class="panel" aria-labelledby="block-insp-title">
      <h2 id="block-insp-title">Inspector: <span>${b?.id ?? ''}</span></h2>
      ${b && a ? this.#body(b, a) : nothing}
    </section>`;
  }

  #body(b: ResidualBlock, a: BlockAnalysis) {
    const projection = b.shortcut === 'projection' ? this.layers.find((l) => l.id === projectionId(b.id)) : undefined;
    const sum = `y = body(x) + ${b.shortcut === 'identity' ? 'x' : `W·x (1×1, stride ${fmt(b.S)})`}${b.relu ? ', then ReLU(y)' : ''}`;
    return html`<p class="sub">Residual block: the body learns what to add to its input, F(x) = H(x) − x; the
        shortcut carries x (and its gradient) past the body unchanged, which is what lets ResNets train 100+ layers deep.</p>
      ${a.error
        ? html`<p class="problem" role="note">Doesn't fit: ${a.error.reason}${a.error.suggestion ? html`<br />Fix: ${a.error.suggestion}` : nothing}</p>`
        : nothing}
      <dl>
        <div>
          <dt>The sum</dt>
          <dd class="eq" aria-label="Block sum">${sum}</dd>
        </div>
        <div>
          <dt>Input → body → sum</dt>
          <dd class="big">${shapeLabel(a.inShape)} → ${shapeLabel(a.bodyOut)} → ${shapeLabel(a.outShape)}</dd>
        </div>
        <div>
          <dt>Shortcut</dt>
          <dd class="big" aria-label="Shortcut shape">${b.shortcut === 'identity' ? 'identity' : '1×1 projection'}: ${shapeLabel(a.inShape)} → ${shapeLabel(a.shortcutOut)}</dd>
          ${projection?.outShape
            ? html`<dd class="eq" aria-label="Projection arithmetic">${projection.arithmetic.outSize}</dd>
                <dd class="eq">parameters ${projection.arithmetic.params}; multiply-adds ${projection.arithmetic.macs}</dd>`
            : html`<dd class="sub">No weights: the sum needs the body to keep the input's shape exactly.</dd>`}
        </div>
        <div>
          <dt>Parameters inside (body and shortcut)</dt>
          <dd class="big">${fmt(a.params)}</dd>
        </div>
        <div>
          <dt>Activation memory of the sum</dt>
          <dd>${bytesLabel(a.activationBytes)} per image (f32)${b.relu ? ', with the ReLU after it' : ''}</dd>
        </div>
      </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-block-inspector': CpBlockInspector;
  }
}
