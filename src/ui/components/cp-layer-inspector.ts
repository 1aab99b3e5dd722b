// Why: the lecture's arithmetic for the selected layer, with its numbers filled in: the output size
// W′ = (W − F + 2P)/S + 1, the parameters K·(F·F·C + 1), what the same layer would cost fully
// connected, the receptive field and the multiply-adds. All numbers and equations come from
// analyzeNetwork, so they are the ones the engine builds.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fmt, LAYERS, type LayerAnalysis, type LayerDef, type LayerKind, type LayerSpec } from '../../model';
import { LAYER_INFO } from '../layer-info';
import { panel } from '../styles/shared';
import { shapeLabel } from './cp-layer-card';
import { NotationController } from '../shape-notation';

/** "12.3 KiB" for a byte count from the model. */
export function bytesLabel(bytes: number): string {
  if (bytes < 1024) return `${fmt(bytes)} B`;
  if (bytes < 1024 * 1024) return `${fmt(Math.round((bytes / 1024) * 10) / 10)} KiB`;
  return `${fmt(Math.round((bytes / 1024 / 1024) * 100) / 100)} MiB`;
}

const size = (shape: readonly number[] | null) => (shape ?? []).reduce((a, b) => a * b, 1);

/** 12,770 or 12.8: a ratio with thousands separators, one decimal below 100. */
export function ratioText(r: number): string {
  return r >= 100 ? fmt(Math.round(r)) : fmt(Math.round(r * 10) / 10);
}

function formulas(layer: LayerSpec): { out?: string; params?: string } {
  return (LAYERS[layer.kind] as unknown as LayerDef<LayerKind>).formulas(layer);
}

@customElement('cp-layer-inspector')
export class CpLayerInspector extends LitElement {
  readonly notation = new NotationController(this);
  static override styles = [
    panel,
    css`
      :host { display: block; }
      dl { margin: 0; display: grid; gap: 10px; }
      dt { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--cp-muted, #5c6270); }
      dd { margin: 2px 0 0; font-size: 0.88rem; }
      .eq { font-family: var(--cp-math, 'STIX Two Math', 'Cambria Math', Georgia, serif); font-size: 0.95rem; overflow-wrap: anywhere; }
      .formula { color: var(--cp-muted, #5c6270); }
      .big { font-weight: 600; font-variant-numeric: tabular-nums; }
      .problem { color: var(--cp-error, #a61e1e); font-size: 0.85rem; }
      .sub { color: var(--cp-muted, #5c6270); font-size: 0.8rem; }
    `,
  ];

  @property({ attribute: false }) layer?: LayerSpec;
  @property({ attribute: false }) analysis?: LayerAnalysis;
  /** This layer's boxes that hold text that does not parse (the numbers below are the last valid ones). */
  @property({ attribute: false }) invalid: readonly { label: string; message: string; kept: string }[] = [];

  override render() {
    const l = this.layer;
    const a = this.analysis;
    return html`<section class="panel" aria-labelledby="insp-title">
      <h2 id="insp-title">Inspector${l ? html`: <span>${l.id}</span>` : nothing}</h2>
      ${l && a ? this.#body(l, a) : html`<p class="muted">Select a layer to see its arithmetic: output size, parameters, receptive field, multiply-adds.</p>`}
    </section>`;
  }

  /** A grouped conv against a plain conv with the same K and F: what the groups save. */
  #plainConv(a: LayerAnalysis, plain: { params: number; macs: number }) {
    return html`<div>
      <dt>Against a plain conv (groups = 1, same K and F)</dt>
      <dd class="eq" aria-label="Plain conv comparison">${fmt(plain.params)} parameters and ${fmt(plain.macs)} multiply-adds;
        this layer: ${fmt(a.params)} and ${fmt(a.macs)}</dd>
      <dd class="sub">${ratioText(plain.params / Math.max(1, a.params))}× fewer parameters, ${ratioText(plain.macs / Math.max(1, a.macs))}× fewer multiply-adds: each filter sees only its group's channels (a 1×1 conv after it mixes them).</dd>
    </div>`;
  }

  #body(l: LayerSpec, a: LayerAnalysis) {
    const f = formulas(l);
    const info = LAYER_INFO[l.kind];
    const ok = !!a.outShape;
    const ratio = a.params > 0 ? a.denseEquivalentParams / a.params : null;
    return html`<p class="sub">${info.title}: ${info.blurb}</p>
      ${this.invalid.length > 0
        ? html`<p class="problem" role="note" aria-label="Invalid entry">${this.invalid.map((e) => `${e.label} holds an entry that is not valid: the last valid value, ${e.kept}, stays in force until it is fixed (the numbers below use it).`).join(' ')}</p>`
        : nothing}
      ${a.error
        ? html`<p class="problem" role="note">${ok ? 'Not finished' : "Doesn't fit"}: ${a.error.reason}${a.error.suggestion ? html`<br />Fix: ${a.error.suggestion}` : nothing}</p>`
        : nothing}
      <dl>
        <div>
          <dt>Input → output</dt>
          <dd class="big">${shapeLabel(a.inShape)} → ${shapeLabel(a.outShape)}</dd>
        </div>
        ${ok
          ? html`<div>
                <dt>Output size</dt>
                ${f.out ? html`<dd class="eq formula">${f.out}</dd>` : nothing}
                <dd class="eq" aria-label="Output size arithmetic">${a.arithmetic.outSize}</dd>
              </div>
              <div>
                <dt>Parameters</dt>
                ${f.params ? html`<dd class="eq formula">${f.params}</dd>` : nothing}
                <dd class="eq" aria-label="Parameter arithmetic">${a.arithmetic.params}</dd>
                ${a.stateCount > 0 ? html`<dd class="sub">plus ${fmt(a.stateCount)} non-trained values</dd>` : nothing}
              </div>
              <div>
                <dt>As a fully-connected layer</dt>
                <dd class="eq formula">in·out weights + out biases</dd>
                <dd class="eq" aria-label="Fully-connected arithmetic">${shapeLabel(a.inShape)} → ${shapeLabel(a.outShape)}: ${fmt(size(a.inShape))} · ${fmt(size(a.outShape))} = ${fmt(a.denseEquivalentWeights)} weights
                  + ${fmt(a.denseEquivalentParams - a.denseEquivalentWeights)} biases = ${fmt(a.denseEquivalentParams)} parameters</dd>
                <dd class="sub" aria-label="Fully-connected ratio">${ratio !== null
                  ? l.kind === 'dense'
                    ? html`This layer is one: every output sees every input.`
                    : ratio >= 1
                    ? html`${ratioText(ratio)}× the ${fmt(a.params)} this layer has: weight sharing and local connectivity at work.`
                    : html`${ratioText(1 / ratio)}× fewer than this layer's ${fmt(a.params)}.`
                  : html`This layer has no weights at all.`}</dd>
              </div>
              <div>
                <dt>Receptive field</dt>
                <dd class="big">${a.receptiveField ? `${fmt(a.receptiveField.size[0])}×${fmt(a.receptiveField.size[1])} input pixels` : '—'}</dd>
                ${a.receptiveField
                  ? html`<dd class="sub">neighbouring outputs are ${fmt(a.receptiveField.jump)} input pixel${a.receptiveField.jump === 1 ? '' : 's'} apart${a.receptiveField.coversInput ? '; each output sees the whole image' : ''}</dd>`
                  : nothing}
              </div>
              <div>
                <dt>Multiply-adds (one image, forward)</dt>
                <dd class="eq" aria-label="Multiply-add arithmetic">${a.arithmetic.macs}</dd>
              </div>
              ${a.plainConv ? this.#plainConv(a, a.plainConv) : nothing}
              <div>
                <dt>Activation memory</dt>
                <dd>${bytesLabel(a.activationBytes)} per image (f32)</dd>
              </div>`
          : html`<div><dt>Output</dt><dd class="muted">Fix this layer (or the ones before it) to see its arithmetic.</dd></div>`}
      </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-layer-inspector': CpLayerInspector;
  }
}
