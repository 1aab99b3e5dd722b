// Why: one layer of the network, edited in place. Its boxes use the lecture's letters (K, F, S, P);
// its output shape and parameter count come from analyzeNetwork and update as the learner types;
// a layer that doesn't fit says why, right here, with the model's suggested fix. Text that is not a
// valid value stays in the box with a message and never reaches the spec.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ACTIVATIONS, fmt, type LayerAnalysis, type LayerSpec } from '../../model';
import { setDragData, startTouchDrag } from '../drag';
import { emit, type LayerField, type LayerPatch } from '../events';
import { fieldText, hasActivation, numberFields, parseField, type FieldSpec } from '../field-input';
import { LAYER_INFO } from '../layer-info';
import { controls } from '../styles/shared';
import { NotationController, shapeLabel as notationLabel } from '../shape-notation';

interface Draft {
  text: string;
  message: string;
  label: string;
}

/** A shape in the page's notation (H×W×C by default; see shape-notation.ts). */
export function shapeLabel(shape: readonly number[] | null | undefined): string {
  return notationLabel(shape);
}

@customElement('cp-layer-card')
export class CpLayerCard extends LitElement {
  readonly notation = new NotationController(this);
  static override styles = [
    controls,
    css`
      :host { display: block; }
      article {
        border: 1px solid var(--cp-border, #e3e5ea); border-left: 4px solid var(--cp-kind-color, #94a3b8);
        border-radius: 10px; background: var(--cp-surface, #fff); padding: 8px 10px; display: grid; gap: 6px;
      }
      article.selected { box-shadow: 0 0 0 2px var(--cp-accent, #3b5bdb); }
      article.bad { border-color: var(--cp-error, #c92a2a); border-left-color: var(--cp-error, #c92a2a); background: var(--cp-error-bg, #fff8f8); }
      article:focus-visible { outline: 2px solid var(--cp-accent, #3b5bdb); outline-offset: 2px; }
      header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      .grip { cursor: grab; color: var(--cp-muted, #8a90a0); user-select: none; touch-action: none; padding: 0 2px; font-size: 1.1rem; line-height: 1; }
      .index { color: var(--cp-muted, #5c6270); font-variant-numeric: tabular-nums; font-size: 0.8rem; }
      .kind { font-weight: 600; font-family: var(--cp-mono, ui-monospace, monospace); font-size: 0.85rem; }
      .id { color: var(--cp-muted, #5c6270); font-size: 0.8rem; }
      .stats { margin-left: auto; display: flex; gap: 10px; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
      .stats output { font-weight: 600; }
      .actions { display: flex; gap: 2px; }
      .fields { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: flex-start; }
      .field { display: grid; gap: 2px; font-size: 0.75rem; color: var(--cp-muted, #5c6270); }
      .field input { width: 5.5em; font-variant-numeric: tabular-nums; }
      .check { display: flex; align-items: center; gap: 4px; font-size: 0.75rem; align-self: end; padding-bottom: 4px; }
      .msg { color: var(--cp-error, #c92a2a); font-size: 0.72rem; max-width: 22em; }
      .problem { font-size: 0.8rem; color: var(--cp-error, #a61e1e); margin: 0; }
      .problem.warn { color: var(--cp-warn, #8a5a00); }
      .problem strong { font-weight: 600; }
      .fix { display: block; color: var(--cp-text, #1b1b1f); }
    `,
  ];

  @property({ attribute: false }) layer?: LayerSpec;
  @property({ attribute: false }) analysis?: LayerAnalysis;
  @property({ type: Number }) index = 0;
  @property({ type: Number }) count = 1;
  @property({ type: Boolean }) selected = false;
  /** The block holding this layer (null: the network's list). */
  @property({ attribute: false }) parentId: string | null = null;

  @state() private drafts: ReadonlyMap<LayerField, Draft> = new Map();
  #refocus = false;

  /** Focuses the card itself (not one of its boxes). */
  focusCard(): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('layer') as LayerSpec | undefined;
    if (!changed.has('layer') || this.drafts.size === 0) return;
    if (!old || !this.layer || old.id !== this.layer.id) {
      this.drafts = new Map();
      return;
    }
    // Undo, redo or another edit changed a field that holds a draft: show the new value.
    const prev = old as unknown as Record<string, unknown>;
    const next = this.layer as unknown as Record<string, unknown>;
    const kept = new Map([...this.drafts].filter(([f]) => JSON.stringify(prev[f]) === JSON.stringify(next[f])));
    if (kept.size !== this.drafts.size) this.drafts = kept;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The page turns Train off while a box holds an entry that does not parse (one rule everywhere).
    if ((changed as PropertyValues).has('drafts') && this.layer) {
      const id = this.layer.id;
      const l = this.layer as unknown as Record<string, unknown>;
      const entries = [...this.drafts].map(([f, d]) => ({ label: `${id} ${d.label}`, message: d.message, kept: fieldText(l[f]) }));
      emit(this, 'cp-drafts', { source: `layer:${id}`, entries });
    }
    if (this.#refocus && changed.has('index')) {
      this.#refocus = false;
      this.focusCard();
    }
  }

  override render() {
    const l = this.layer;
    if (!l) return nothing;
    const a = this.analysis;
    const err = a?.error;
    const broken = !!err && !a?.outShape;
    const info = LAYER_INFO[l.kind];
    const name = `Layer ${this.index + 1}${this.parentId ? ` of block ${this.parentId}` : ''}: ${l.kind} ${l.id}`;
    return html`<article
      class=${[this.selected ? 'selected' : '', broken ? 'bad' : ''].join(' ')}
      role="group" tabindex="0" aria-label=${name} aria-describedby="problem"
      @focusin=${this.#select} @click=${this.#select} @keydown=${this.#key}>
      <header>
        <span class="grip" draggable="true" title="Drag to move; drag onto the palette to remove" aria-hidden="true"
          @dragstart=${this.#dragStart}
          @pointerdown=${(e: PointerEvent) => startTouchDrag(e, { type: 'layer', id: l.id }, l.id)}>⠿</span>
        <span class="index">${this.index + 1}</span>
        <span class="kind" title=${`${info.title}: ${info.blurb}`}>${l.kind}</span>
        <span class="id">${l.id}</span>
        <span class="stats">
          <span>→ <output aria-label="Output shape">${shapeLabel(a?.outShape)}</output></span>
          <span><output aria-label="Parameters">${a?.outShape ? fmt(a.params) : '—'}</output> params</span>
        </span>
        <span class="actions">
          <button class="icon" aria-label=${`Move ${l.id} up`} title="Move up (Alt+↑)" ?disabled=${this.index === 0} @click=${() => this.#move(-1)}>↑</button>
          <button class="icon" aria-label=${`Move ${l.id} down`} title="Move down (Alt+↓)" ?disabled=${this.index >= this.count - 1} @click=${() => this.#move(1)}>↓</button>
          <button class="icon" aria-label=${`Remove ${l.id}`} title="Remove (Delete)" @click=${this.#remove}>✕</button>
        </span>
      </header>
      ${this.#fields(l, err?.field)}
      ${err
        ? html`<p class="problem ${broken ? '' : 'warn'}" id="problem" role="note">
            <strong>${broken ? "Doesn't fit: " : 'Not finished: '}</strong>${err.reason}
            ${err.suggestion ? html`<span class="fix">Fix: ${err.suggestion}</span>` : nothing}
          </p>`
        : nothing}
    </article>`;
  }

  #fields(l: LayerSpec, badField: string | undefined) {
    const specs = numberFields(l.kind);
    const withAct = hasActivation(l.kind) && 'bias' in l;
    if (specs.length === 0 && !withAct) return nothing;
    const values = l as unknown as Record<string, unknown>;
    return html`<div class="fields">
      ${specs.map((f) => this.#box(f, values[f.field] ?? f.absent, badField === f.field))}
      ${withAct
        ? html`<label class="field">Activation
              <select aria-label="Activation" @change=${this.#activation}>
                <option value="" ?selected=${!l.activation}>none</option>
                ${ACTIVATIONS.map((act) => html`<option value=${act} ?selected=${l.activation === act}>${act}</option>`)}
              </select>
            </label>
            <label class="check"><input type="checkbox" .checked=${l.bias} @change=${this.#bias} /> Bias</label>`
        : nothing}
    </div>`;
  }

  #box(f: FieldSpec, value: unknown, modelFlags: boolean) {
    const draft = this.drafts.get(f.field);
    const msgId = `msg-${f.field}`;
    return html`<label class="field">
      <span>${f.label}</span>
      <input type="text" inputmode=${f.rule.whole && !f.rule.words ? 'numeric' : 'decimal'} autocomplete="off" spellcheck="false"
        aria-label=${f.label}
        .value=${draft ? draft.text : fieldText(value)}
        aria-invalid=${draft || modelFlags ? 'true' : 'false'}
        aria-describedby=${draft ? msgId : 'problem'}
        @input=${(e: Event) => this.#edit(f, (e.target as HTMLInputElement).value)} />
      ${draft ? html`<span class="msg" id=${msgId} role="alert">${draft.message} The last valid value, ${fieldText(value)}, stays in force.</span>` : nothing}
    </label>`;
  }

  #edit(f: FieldSpec, text: string) {
    const l = this.layer;
    if (!l) return;
    const r = parseField(f.rule, text);
    const drafts = new Map(this.drafts);
    if (!r.ok) {
      drafts.set(f.field, { text, message: r.message, label: f.label });
      this.drafts = drafts;
      return;
    }
    drafts.delete(f.field);
    this.drafts = drafts;
    const current = (l as unknown as Record<string, unknown>)[f.field];
    if (JSON.stringify(current) === JSON.stringify(r.value)) return;
    emit(this, 'cp-layer-change', { id: l.id, field: f.field, patch: { [f.field]: r.value } as LayerPatch });
  }

  #activation(e: Event) {
    const l = this.layer;
    if (!l) return;
    const v = (e.target as HTMLSelectElement).value;
    const act = (ACTIVATIONS as readonly string[]).includes(v) ? (v as LayerPatch['activation']) : null;
    emit(this, 'cp-layer-change', { id: l.id, field: 'activation', patch: { activation: act ?? null } });
  }

  #bias(e: Event) {
    const l = this.layer;
    if (!l) return;
    emit(this, 'cp-layer-change', { id: l.id, field: 'bias', patch: { bias: (e.target as HTMLInputElement).checked } });
  }

  #select = () => {
    if (this.layer && !this.selected) emit(this, 'cp-layer-select', { id: this.layer.id });
  };

  #move(delta: number, keyboard = false) {
    const l = this.layer;
    if (!l) return;
    const to = this.index + delta;
    if (to < 0 || to >= this.count) return;
    this.#refocus = keyboard;
    emit(this, 'cp-layer-move', { id: l.id, to });
    emit(this, 'cp-announce', { message: `Moved ${l.id} to position ${to + 1} of ${this.count}` });
  }

  #remove = () => {
    const l = this.layer;
    if (!l) return;
    emit(this, 'cp-layer-remove', { id: l.id });
    emit(this, 'cp-announce', { message: `Removed ${l.id}` });
  };

  #key(e: KeyboardEvent) {
    const t = e.composedPath()[0];
    const typing = t instanceof HTMLInputElement || t instanceof HTMLSelectElement;
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      this.#move(e.key === 'ArrowUp' ? -1 : 1, true);
    } else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && this.layer) {
      // Into the residual block just above (→), out of the block holding it (←).
      e.preventDefault();
      emit(this, 'cp-layer-nest', { id: this.layer.id, direction: e.key === 'ArrowRight' ? 'in' : 'out' });
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && !typing) {
      e.preventDefault();
      this.#remove();
    }
  }

  #dragStart(e: DragEvent) {
    const l = this.layer;
    if (!l) return;
    setDragData(e.dataTransfer, { type: 'layer', id: l.id });
    const card = this.renderRoot.querySelector('article');
    if (card && e.dataTransfer) e.dataTransfer.setDragImage(card, 16, 16);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-layer-card': CpLayerCard;
  }
}
