// Why: where layers come from. Every layer kind is a button: click or Enter adds it at the end of the
// network, dragging it drops it where the learner wants. A layer card dragged back here is removed.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LAYER_KINDS, type LayerKind } from '../../model';
import { dragKind, LAYER_MIME, setDragData, startTouchDrag, type TouchDropDetail } from '../drag';
import { emit } from '../events';
import { LAYER_INFO, PALETTE_GROUPS } from '../layer-info';
import { controls, panel } from '../styles/shared';

@customElement('cp-layer-palette')
export class CpLayerPalette extends LitElement {
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      /* As tall as its host: in a column beside the layers the page stretches it (a longer drop bin). */
      .panel { position: relative; height: 100%; box-sizing: border-box; }
      h3 { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.06em; margin: 10px 0 4px; color: var(--cp-muted, #5c6270); }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
      button.item {
        width: 100%; text-align: left; display: grid; padding: 6px 8px; cursor: grab; touch-action: none;
        background: var(--cp-chip, #f5f7fb); border-color: transparent;
      }
      button.item:active { cursor: grabbing; }
      .kind { font-weight: 600; font-family: var(--cp-mono, ui-monospace, monospace); font-size: 0.8rem; }
      .blurb { font-size: 0.72rem; color: var(--cp-muted, #5c6270); }
      .bin {
        position: absolute; inset: 0; border-radius: inherit; display: grid; place-items: center; text-align: center;
        background: rgb(255 245 245 / 0.94); pointer-events: none; border: 2px dashed var(--cp-error, #c92a2a); color: var(--cp-error, #c92a2a); font-weight: 600;
      }
      .hint { font-size: 0.75rem; margin: 8px 0 0; }
      @media (max-width: 640px) {
        ul { grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); }
        .blurb, .hint { display: none; }
        h3 { margin-top: 6px; }
      }
      /* Wide and short (a strip above the layers on a laptop): every kind in one wrapping row of chips;
         the blurb stays in the button's title. */
      :host { container-type: inline-size; }
      @container (min-width: 420px) {
        .panel { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; padding: 8px 12px; }
        h2 { margin: 0 6px 0 0; }
        h3, .blurb, .hint { display: none; }
        ul, li { display: contents; }
        button.item { width: auto; padding: 3px 8px; }
      }
    `,
  ];

  /** A layer card is being dragged over the palette: dropping removes it. */
  @state() private removing = false;

  override render() {
    return html`<section class="panel" aria-labelledby="palette-title"
        @dragover=${this.#over} @dragleave=${this.#leave} @drop=${this.#drop}
        @cp-touch-drop=${this.#touchDrop}>
      <h2 id="palette-title">Layers</h2>
      ${PALETTE_GROUPS.map(
        (group) => html`<h3>${group}</h3>
          <ul role="list">
            ${LAYER_KINDS.filter((k) => LAYER_INFO[k].group === group).map((k) => this.#item(k))}
          </ul>`,
      )}
      <p class="hint muted">Click or press Enter to add at the end; drag to place. Drag a layer back here to remove it.</p>
      ${this.removing ? html`<div class="bin" aria-hidden="true">Drop to remove the layer</div>` : ''}
    </section>`;
  }

  #item(kind: LayerKind) {
    const info = LAYER_INFO[kind];
    return html`<li>
      <button class="item" draggable="true" aria-label=${`Add ${kind}`} title=${`${info.title}: ${info.blurb}`}
        @click=${() => this.#add(kind)}
        @dragstart=${(e: DragEvent) => setDragData(e.dataTransfer, { type: 'kind', kind })}
        @pointerdown=${(e: PointerEvent) => startTouchDrag(e, { type: 'kind', kind }, kind)}>
        <span class="kind">${kind}</span><span class="blurb">${info.blurb}</span>
      </button>
    </li>`;
  }

  #add(kind: LayerKind) {
    emit(this, 'cp-layer-add', { kind });
  }

  #over(e: DragEvent) {
    if (dragKind(e.dataTransfer) !== 'layer') return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    this.removing = true;
  }

  #leave(e: DragEvent) {
    const to = e.relatedTarget as Node | null;
    if (to && this.renderRoot.contains(to)) return;
    this.removing = false;
  }

  #drop(e: DragEvent) {
    this.removing = false;
    const id = e.dataTransfer?.getData(LAYER_MIME);
    if (!id) return;
    e.preventDefault();
    emit(this, 'cp-layer-remove', { id });
  }

  #touchDrop(e: CustomEvent<TouchDropDetail>) {
    const p = e.detail.payload;
    if (p.type === 'layer') emit(this, 'cp-layer-remove', { id: p.id });
  }

  readonly #reset = () => (this.removing = false);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('dragend', this.#reset, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('dragend', this.#reset, true);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-layer-palette': CpLayerPalette;
  }
}
