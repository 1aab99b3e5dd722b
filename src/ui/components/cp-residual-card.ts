// Why: a residual block in the designer is a card holding cards: its body's layers (and blocks) in a
// list of their own that takes drops, its shortcut (identity, or a 1×1 projection with stride S) and
// the ReLU after the sum as controls, and the shape check of the sum — body → shape, shortcut → shape
// — with the model's reason and fix when they differ. Keyboard: the card moves like a layer (Alt+↑/↓,
// Alt+←/→ in and out of blocks); a layer card inside moves out with Alt+←.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { fmt, isBlock, LAYER_KINDS, RESIDUAL_SHORTCUTS, type BlockAnalysis, type LayerAnalysis, type LayerItem, type LayerKind, type ResidualBlock, type ResidualShortcut } from '../../model';
import { dragKind, KIND_MIME, LAYER_MIME, setDragData, startTouchDrag, type DragPayload, type TouchDropDetail } from '../drag';
import { emit } from '../events';
import { controls } from '../styles/shared';
import { shapeLabel } from './cp-layer-card';
import './cp-layer-card';

/** What a card in a list needs to draw itself: the analyses by id, the selection. */
export interface ItemContext {
  layers: ReadonlyMap<string, LayerAnalysis>;
  blocks: ReadonlyMap<string, BlockAnalysis>;
  selectedId: string | null;
}

/** One item of a layer list: a layer card, or a block card (which renders its own body). */
export function itemCard(item: LayerItem, index: number, count: number, ctx: ItemContext, parentId: string | null) {
  if (isBlock(item)) {
    return html`<cp-residual-card .block=${item} .ctx=${ctx} .index=${index} .count=${count} .parentId=${parentId}
      ?selected=${item.id === ctx.selectedId}></cp-residual-card>`;
  }
  return html`<cp-layer-card .layer=${item} .analysis=${ctx.layers.get(item.id)} .index=${index} .count=${count} .parentId=${parentId}
    ?selected=${item.id === ctx.selectedId}></cp-layer-card>`;
}

@customElement('cp-residual-card')
export class CpResidualCard extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      article {
        border: 1px solid var(--cp-border, #e3e5ea); border-left: 4px solid var(--cp-accent, #3b5bdb);
        border-radius: 12px; background: var(--cp-chip, #f5f7fb); padding: 8px 10px; display: grid; gap: 6px;
      }
      article.selected { box-shadow: 0 0 0 2px var(--cp-accent, #3b5bdb); }
      article.bad { border-color: var(--cp-error, #c92a2a); border-left-color: var(--cp-error, #c92a2a); }
      article:focus-visible { outline: 2px solid var(--cp-accent, #3b5bdb); outline-offset: 2px; }
      header { display: flex; align-items: center; gap: 6px 8px; flex-wrap: wrap; }
      .grip { cursor: grab; color: var(--cp-muted, #8a90a0); user-select: none; touch-action: none; padding: 0 2px; font-size: 1.1rem; line-height: 1; }
      .index { color: var(--cp-muted, #5c6270); font-size: 0.8rem; }
      .kind { font-weight: 600; font-family: var(--cp-mono, ui-monospace, monospace); font-size: 0.85rem; }
      .id { color: var(--cp-muted, #5c6270); font-size: 0.8rem; }
      .stats { margin-left: auto; display: flex; gap: 10px; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
      .stats output { font-weight: 600; }
      .actions { display: flex; gap: 2px; }
      .fields { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; font-size: 0.75rem; color: var(--cp-muted, #5c6270); }
      .fields input[type='text'] { width: 3.5em; }
      .check { display: flex; align-items: center; gap: 4px; }
      ol { list-style: none; margin: 0; padding: 0 0 0 10px; border-left: 2px dashed var(--cp-border, #c5cad6); display: grid; }
      li { position: relative; padding: 3px 0; }
      li.drop-before::before { content: ''; position: absolute; left: 0; right: 0; top: -1px; height: 3px; border-radius: 2px; background: var(--cp-accent, #3b5bdb); }
      .endzone { border: 2px dashed var(--cp-border, #d0d4dc); border-radius: 8px; padding: 6px; text-align: center; font-size: 0.75rem; color: var(--cp-muted, #5c6270); }
      .sum { font-size: 0.8rem; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 10px; }
      .sum .ok { color: var(--cp-ok, #2b8a3e); }
      .problem { font-size: 0.8rem; color: var(--cp-error, #a61e1e); margin: 0; }
      .fix { display: block; color: var(--cp-text, #1b1b1f); }
    `,
  ];

  @property({ attribute: false }) block?: ResidualBlock;
  @property({ attribute: false }) ctx?: ItemContext;
  @property({ type: Number }) index = 0;
  @property({ type: Number }) count = 1;
  @property({ attribute: false }) parentId: string | null = null;
  @property({ type: Boolean }) selected = false;
  @state() private dropIndex: number | null = null;

  focusCard(): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus();
  }

  override render() {
    const b = this.block;
    const ctx = this.ctx;
    if (!b || !ctx) return nothing;
    const a = ctx.blocks.get(b.id);
    const err = a?.error;
    const name = `Residual block ${b.id}, ${b.shortcut} shortcut, ${b.body.length} layer${b.body.length === 1 ? '' : 's'}`;
    return html`<article class=${[this.selected ? 'selected' : '', err ? 'bad' : ''].join(' ')} role="group" tabindex="0" aria-label=${name}
      @focusin=${this.#select} @click=${this.#select} @keydown=${this.#key}>
      <header>
        <span class="grip" draggable="true" title="Drag to move the whole block" aria-hidden="true" @dragstart=${this.#dragStart}
          @pointerdown=${(e: PointerEvent) => startTouchDrag(e, { type: 'layer', id: b.id }, b.id)}>⠿</span>
        <span class="index">${this.index + 1}</span>
        <span class="kind" title="A residual block: its output is body(x) + shortcut(x) (ResNet)">residual</span>
        <span class="id">${b.id}</span>
        <span class="stats">
          <span>→ <output aria-label="Output shape">${shapeLabel(a?.outShape)}</output></span>
          <span><output aria-label="Parameters">${a ? fmt(a.params) : '—'}</output> params</span>
        </span>
        <span class="actions">
          <button class="icon" aria-label=${`Move ${b.id} up`} title="Move up (Alt+↑)" ?disabled=${this.index === 0} @click=${(e: Event) => this.#move(e, -1)}>↑</button>
          <button class="icon" aria-label=${`Move ${b.id} down`} title="Move down (Alt+↓)" ?disabled=${this.index >= this.count - 1} @click=${(e: Event) => this.#move(e, 1)}>↓</button>
          <button class="icon" aria-label=${`Remove ${b.id}`} title="Remove the block and its layers (Delete)" @click=${this.#remove}>✕</button>
        </span>
      </header>
      <div class="fields">
        <label>Shortcut
          <select aria-label="Shortcut" @change=${(e: Event) => this.#patch('shortcut', { shortcut: (e.target as HTMLSelectElement).value as ResidualShortcut })}>
            ${RESIDUAL_SHORTCUTS.map((s) => html`<option value=${s} ?selected=${b.shortcut === s}>${s === 'identity' ? 'identity (x)' : 'projection (1×1 conv)'}</option>`)}
          </select>
        </label>
        ${b.shortcut === 'projection'
          ? html`<label>S <input type="text" inputmode="numeric" aria-label="Projection stride S" .value=${String(b.S)} @change=${this.#stride} /></label>
              <label class="check"><input type="checkbox" .checked=${b.bias} @change=${(e: Event) => this.#patch('bias', { bias: (e.target as HTMLInputElement).checked })} /> Bias</label>`
          : nothing}
        <label class="check"><input type="checkbox" .checked=${b.relu} @change=${(e: Event) => this.#patch('relu', { relu: (e.target as HTMLInputElement).checked })} /> ReLU after the sum</label>
      </div>
      <ol aria-label=${`Layers of block ${b.id}`} @dragover=${this.#over} @dragleave=${this.#leave} @drop=${this.#drop} @cp-touch-drop=${this.#touchDrop}>
        ${repeat(b.body, (l) => l.id, (l, i) => html`<li class="item ${this.dropIndex === i ? 'drop-before' : ''}">${itemCard(l, i, b.body.length, ctx, b.id)}</li>`)}
        <li class="end ${this.dropIndex === b.body.length ? 'drop-before' : ''}">
          <div class="endzone">${b.body.length === 0 ? 'Empty body: drag layers here, or press Alt+→ on the layer just below this block' : 'Drop here to add at the end of the block'}</div>
        </li>
      </ol>
      <p class="sum" aria-label="Sum check">
        <span>body → <strong>${shapeLabel(a?.bodyOut)}</strong></span>
        <span>${b.shortcut === 'identity' ? 'identity' : `1×1 projection, S = ${b.S}`} → <strong>${shapeLabel(a?.shortcutOut)}</strong></span>
        ${a?.outShape ? html`<span class="ok">✓ shapes match: sum${b.relu ? ', then ReLU' : ''}</span>` : nothing}
      </p>
      ${err ? html`<p class="problem" role="note"><strong>Doesn't fit: </strong>${err.reason}${err.suggestion ? html`<span class="fix">Fix: ${err.suggestion}</span>` : nothing}</p>` : nothing}
    </article>`;
  }

  #patch(field: 'shortcut' | 'bias' | 'relu' | 'S', patch: Record<string, unknown>) {
    if (this.block) emit(this, 'cp-layer-change', { id: this.block.id, field, patch });
  }

  #stride(e: Event) {
    const input = e.target as HTMLInputElement;
    const S = Number(input.value);
    if (Number.isInteger(S) && S >= 1) this.#patch('S', { S });
    else input.value = String(this.block?.S ?? 1);
  }

  #select = (e: Event) => {
    // A click inside a child card selects that card, not the block.
    if (e.composedPath().some((el) => el !== this && (el as Element).localName?.match(/^cp-(layer|residual)-card$/))) return;
    if (this.block && !this.selected) emit(this, 'cp-layer-select', { id: this.block.id });
  };

  #move(e: Event, delta: number) {
    e.stopPropagation();
    const b = this.block;
    const to = this.index + delta;
    if (!b || to < 0 || to >= this.count) return;
    emit(this, 'cp-layer-move', { id: b.id, to });
    emit(this, 'cp-announce', { message: `Moved block ${b.id} to position ${to + 1} of ${this.count}` });
  }

  #remove = (e: Event) => {
    e.stopPropagation();
    if (!this.block) return;
    emit(this, 'cp-layer-remove', { id: this.block.id });
    emit(this, 'cp-announce', { message: `Removed block ${this.block.id}` });
  };

  #key(e: KeyboardEvent) {
    // Keys pressed on a card inside the body belong to that card.
    if (e.composedPath()[0] !== this.renderRoot.querySelector('article') || !this.block) return;
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      this.#move(e, e.key === 'ArrowUp' ? -1 : 1);
    } else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      emit(this, 'cp-layer-nest', { id: this.block.id, direction: e.key === 'ArrowRight' ? 'in' : 'out' });
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.#remove(e);
    }
  }

  #dragStart(e: DragEvent) {
    if (!this.block) return;
    e.stopPropagation();
    setDragData(e.dataTransfer, { type: 'layer', id: this.block.id });
  }

  /** Index in this block's body a drop at clientY lands on. */
  #indexAt(clientY: number): number {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('ol > li.item')];
    const i = items.findIndex((el) => clientY < el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2);
    return i < 0 ? items.length : i;
  }

  #over(e: DragEvent) {
    if (!dragKind(e.dataTransfer)) return;
    e.preventDefault();
    e.stopPropagation();
    const i = this.#indexAt(e.clientY);
    if (i !== this.dropIndex) this.dropIndex = i;
  }

  #leave(e: DragEvent) {
    const to = e.relatedTarget as Node | null;
    if (to && (this.renderRoot.contains(to) || this.contains(to))) return;
    this.dropIndex = null;
  }

  #drop(e: DragEvent) {
    const dt = e.dataTransfer;
    const index = this.#indexAt(e.clientY);
    this.dropIndex = null;
    const kind = dt?.getData(KIND_MIME);
    const id = dt?.getData(LAYER_MIME);
    const payload: DragPayload | null = kind && (LAYER_KINDS as readonly string[]).includes(kind) ? { type: 'kind', kind: kind as LayerKind } : id ? { type: 'layer', id } : null;
    if (!payload) return;
    e.preventDefault();
    e.stopPropagation();
    this.#apply(payload, index);
  }

  #touchDrop(e: CustomEvent<TouchDropDetail>) {
    e.stopPropagation();
    this.#apply(e.detail.payload, this.#indexAt(e.detail.clientY));
  }

  #apply(p: DragPayload, index: number) {
    const b = this.block;
    if (!b) return;
    if (p.type === 'kind') {
      emit(this, 'cp-layer-add', { kind: p.kind, index, parent: b.id });
      return;
    }
    if (p.id === b.id) return;
    // Within this body, `index` counts the item itself while it is still in the list.
    const from = b.body.findIndex((l) => l.id === p.id);
    const to = from >= 0 && index > from ? index - 1 : index;
    if (from < 0 || to !== from) emit(this, 'cp-layer-move', { id: p.id, to, parent: b.id });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-residual-card': CpResidualCard;
  }
}
