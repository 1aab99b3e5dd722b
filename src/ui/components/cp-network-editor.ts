// Why: the network as a vertical stack, input at the top, the loss at the bottom. Layers are dropped
// in from the palette or dragged to a new place; the input C×H×W can be changed to explore designs
// (training itself needs MNIST's 1×28×28).
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { BUILTIN_DATASETS, classesOf, dataMismatch, fmt, inputText, LAYER_KINDS, type DatasetDescriptor, type InputSpec, type LayerKind, type NetworkAnalysis, type NetworkSpec } from '../../model';
import { dragKind, KIND_MIME, LAYER_MIME, type DragPayload, type TouchDropDetail } from '../drag';
import { emit } from '../events';
import { INPUT_FIELDS, parseField } from '../field-input';
import { controls, panel } from '../styles/shared';
import type { CpLayerCard } from './cp-layer-card';
import { shapeLabel } from './cp-layer-card';
import './cp-layer-card';
import { itemCard, type CpResidualCard, type ItemContext } from './cp-residual-card';
import { NotationController } from '../shape-notation';

@customElement('cp-network-editor')
export class CpNetworkEditor extends LitElement {
  readonly notation = new NotationController(this);
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0; }
      li.layer { position: relative; padding: 4px 0; }
      li.layer.drop-before::before, li.end.drop-before::before {
        content: ''; position: absolute; left: 0; right: 0; top: -1px; height: 3px; border-radius: 2px; background: var(--cp-accent, #3b5bdb);
      }
      li.end { position: relative; padding: 4px 0; }
      .endzone {
        border: 2px dashed var(--cp-border, #d0d4dc); border-radius: 10px; padding: 10px; text-align: center;
        font-size: 0.8rem; color: var(--cp-muted, #5c6270);
      }
      .empty .endzone { padding: 32px 10px; }
      li.end.drop-before .endzone, .empty.over .endzone { border-color: var(--cp-accent, #3b5bdb); color: var(--cp-accent, #3b5bdb); }
      .io {
        display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; padding: 8px 10px; border-radius: 10px;
        background: var(--cp-chip, #f5f7fb); font-size: 0.85rem;
      }
      .io strong { font-family: var(--cp-mono, ui-monospace, monospace); font-size: 0.85rem; }
      .io .field { display: flex; align-items: center; gap: 4px; font-size: 0.8rem; }
      .io input { width: 4em; }
      .note { font-size: 0.75rem; flex-basis: 100%; margin: 0; }
      .msg { color: var(--cp-error, #c92a2a); font-size: 0.75rem; flex-basis: 100%; }
      .loss { margin-top: 4px; }
      .bad { color: var(--cp-error, #c92a2a); }
      .add-block { margin-top: 6px; }
    `,
  ];

  @property({ attribute: false }) spec?: NetworkSpec;
  @property({ attribute: false }) analysis?: NetworkAnalysis;
  @property({ attribute: false }) selectedId: string | null = null;
  /** The dataset the design trains on (its shape and classes). */
  @property({ attribute: false }) data: DatasetDescriptor = BUILTIN_DATASETS.mnist;

  /** Where a drop would land (index in the layer list), while something is dragged over. */
  @state() private dropIndex: number | null = null;
  @state() private inputDrafts: ReadonlyMap<keyof InputSpec, { text: string; message: string }> = new Map();
  #focusAfter: number | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('spec') as NetworkSpec | undefined;
    if (old && this.spec && old.input !== this.spec.input && this.inputDrafts.size > 0) {
      const kept = [...this.inputDrafts].filter(([f]) => old.input[f] === this.spec!.input[f]);
      if (kept.length !== this.inputDrafts.size) this.inputDrafts = new Map(kept);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed as PropertyValues).has('inputDrafts')) {
      const entries = [...this.inputDrafts].map(([f, d]) => ({ label: INPUT_FIELDS.find((x) => x.field === f)!.label, message: d.message, kept: String(this.spec?.input[f] ?? '') }));
      emit(this, 'cp-drafts', { source: 'input', entries });
    }
    if (this.#focusAfter === null) return;
    const cards = [...this.renderRoot.querySelectorAll<CpLayerCard | CpResidualCard>('ol > li.layer > :is(cp-layer-card, cp-residual-card)')];
    const i = this.#focusAfter;
    this.#focusAfter = null;
    const card = cards[Math.min(i, cards.length - 1)];
    if (card) void card.updateComplete.then(() => card.focusCard());
    else this.renderRoot.querySelector<HTMLElement>('.endzone')?.focus();
  }

  override render() {
    const spec = this.spec;
    if (!spec) return nothing;
    const a = this.analysis;
    const layers = spec.layers;
    const empty = layers.length === 0;
    const out = a?.output;
    const CLASSES = classesOf(spec);
    const outputOk = !!out && out.length === 1 && out[0] === CLASSES;
    const ctx: ItemContext = {
      layers: new Map((a?.layers ?? []).map((l) => [l.id, l])),
      blocks: new Map((a?.blocks ?? []).map((b) => [b.id, b])),
      selectedId: this.selectedId,
    };
    return html`<section class="panel" aria-labelledby="net-title">
      <h2 id="net-title">Network</h2>
      ${this.#inputRow(spec.input)}
      <ol aria-label="Network layers" class=${empty ? 'empty' : ''}
        @dragover=${this.#over} @dragleave=${this.#leave} @drop=${this.#drop}
        @cp-touch-drop=${this.#touchDrop} @cp-layer-remove=${this.#removed}>
        ${repeat(
          layers,
          (l) => l.id,
          (l, i) => html`<li class="layer ${this.dropIndex === i ? 'drop-before' : ''}" data-index=${i}>${itemCard(l, i, layers.length, ctx, null)}</li>`,
        )}
        <li class="end ${this.dropIndex === layers.length ? 'drop-before' : ''}" data-index=${layers.length}>
          <div class="endzone" tabindex="-1">
            ${empty ? 'Empty network: drop layers here, or pick them from the palette (Enter adds at the end).' : 'Drop a layer here to add it at the end'}
          </div>
        </li>
      </ol>
      <button class="add-block" title="A residual block: body(x) + x (ResNet). Drag layers into it, or Alt+→ on the layer below it."
        @click=${() => emit(this, 'cp-layer-add', { kind: 'residual' })}>+ Residual block</button>
      <div class="io loss">
        <strong>softmax + cross-entropy loss</strong>
        <span class=${outputOk || empty ? 'muted' : 'bad'}>
          over ${CLASSES} class scores${out && !outputOk ? html` — the network gives ${shapeLabel(out)}` : ''}
        </span>
      </div>
    </section>`;
  }

  #inputRow(input: InputSpec) {
    const a = this.analysis;
    const inputErrors = a?.errors.filter((e) => e.layerIndex < 0) ?? [];
    const drafts = [...this.inputDrafts].map(([f, d]) => ({ ...d, message: `${d.message} The last valid value, ${input[f]}, stays in force.` }));
    const d = this.data;
    const shapeOk = input.C === d.input.C && input.H === d.input.H && input.W === d.input.W;
    const mnistLike = d.id !== 'own' && d.input.C === 1 && d.input.H === 28 && d.input.W === 28;
    const note = shapeOk
      ? mnistLike ? 'MNIST digits are 1×28×28.' : `${d.name} images are ${inputText(d.input)}.`
      : mnistLike ? 'Design only: training needs a 1×28×28 input (MNIST).' : `Design only: ${this.spec ? dataMismatch({ ...this.spec, input }, d) : ''}.`;
    return html`<div class="io" role="group" aria-label="Input shape">
      <strong>input</strong>
      ${INPUT_FIELDS.map((f) => {
        const d = this.inputDrafts.get(f.field);
        return html`<label class="field">${f.field}
          <input type="text" inputmode="numeric" aria-label=${f.label} .value=${d ? d.text : String(input[f.field])}
            aria-invalid=${d || inputErrors.some((e) => e.field === f.field) ? 'true' : 'false'}
            @input=${(e: Event) => this.#inputEdit(f.field, (e.target as HTMLInputElement).value)} />
        </label>`;
      })}
      <span class="muted">= ${fmt(input.C)}×${fmt(input.H)}×${fmt(input.W)}</span>
      ${drafts.map((d) => html`<span class="msg" role="alert">${d.message}</span>`)}
      ${inputErrors.map((e) => html`<span class="msg">${e.reason}</span>`)}
      <p class="note muted">${note}</p>
    </div>`;
  }

  #inputEdit(field: keyof InputSpec, text: string) {
    const f = INPUT_FIELDS.find((x) => x.field === field)!;
    const r = parseField(f.rule, text);
    const drafts = new Map(this.inputDrafts);
    if (!r.ok) {
      drafts.set(field, { text, message: r.message });
      this.inputDrafts = drafts;
      return;
    }
    drafts.delete(field);
    this.inputDrafts = drafts;
    if (typeof r.value === 'number') emit(this, 'cp-input-change', { field, value: r.value });
  }

  /** The list index a drop at clientY lands on: before the first card whose middle is below it. */
  #indexAt(clientY: number): number {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('li.layer')];
    for (let i = 0; i < items.length; i++) {
      const r = items[i]!.getBoundingClientRect();
      if (clientY < r.top + r.height / 2) return i;
    }
    return items.length;
  }

  #over(e: DragEvent) {
    const k = dragKind(e.dataTransfer);
    if (!k) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = k === 'kind' ? 'copy' : 'move';
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
    const payload: DragPayload | null =
      kind && (LAYER_KINDS as readonly string[]).includes(kind) ? { type: 'kind', kind: kind as LayerKind } : id ? { type: 'layer', id } : null;
    if (!payload) return;
    e.preventDefault();
    this.#apply(payload, index);
  }

  #touchDrop(e: CustomEvent<TouchDropDetail>) {
    this.#apply(e.detail.payload, this.#indexAt(e.detail.clientY));
  }

  #apply(p: DragPayload, index: number) {
    const spec = this.spec;
    if (!spec) return;
    if (p.type === 'kind') {
      emit(this, 'cp-layer-add', { kind: p.kind, index });
      return;
    }
    const from = spec.layers.findIndex((l) => l.id === p.id);
    // Out of a block into the network's list.
    if (from < 0) {
      emit(this, 'cp-layer-move', { id: p.id, to: index, parent: null });
      return;
    }
    // `index` counts the layer itself while it is still in the list.
    const to = index > from ? index - 1 : index;
    if (to !== from) emit(this, 'cp-layer-move', { id: p.id, to });
  }

  /** After a removal from a focused card (Delete key, its ✕ button), focus goes to the card that took its place. */
  #removed(e: CustomEvent<{ id: string }>) {
    const spec = this.spec;
    if (!spec) return;
    const active = (this.renderRoot as ShadowRoot).activeElement;
    if (active?.localName === 'cp-layer-card') this.#focusAfter = spec.layers.findIndex((l) => l.id === e.detail.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-network-editor': CpNetworkEditor;
  }
}
