// Why: the design-wide actions: start from a preset, start from nothing, undo and redo.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from '../events';
import { controls } from '../styles/shared';

export interface PresetChoice {
  id: string;
  title: string;
  description: string;
}

@customElement('cp-design-toolbar')
export class CpDesignToolbar extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
      label { display: flex; align-items: center; gap: 6px; font-size: 0.85rem; }
      .sep { flex: 1; }
      .desc { flex-basis: 100%; margin: 0; font-size: 0.8rem; color: var(--cp-muted, #5c6270); min-height: 1.2em; }
    `,
  ];

  @property({ attribute: false }) presets: readonly PresetChoice[] = [];
  @property({ type: Boolean }) canUndo = false;
  @property({ type: Boolean }) canRedo = false;
  /** The preset the design was last loaded from, if the learner has not changed it since. */
  @property() presetId = '';

  override render() {
    const current = this.presets.find((p) => p.id === this.presetId);
    return html`<div class="bar" role="toolbar" aria-label="Design">
      <label>Preset
        <select aria-label="Preset" @change=${this.#preset}>
          <option value="">Choose a network…</option>
          ${this.presets.map((p) => html`<option value=${p.id} title=${p.description}>${p.title}</option>`)}
        </select>
      </label>
      <button @click=${() => emit(this, 'cp-clear', {})} title="Remove every layer and design from scratch">Empty network</button>
      <span class="sep"></span>
      <button ?disabled=${!this.canUndo} title="Undo (Ctrl+Z)" aria-keyshortcuts="Control+Z" @click=${() => emit(this, 'cp-undo', {})}>Undo</button>
      <button ?disabled=${!this.canRedo} title="Redo (Ctrl+Shift+Z)" aria-keyshortcuts="Control+Shift+Z" @click=${() => emit(this, 'cp-redo', {})}>Redo</button>
      <p class="desc">${current ? current.description : 'Start from a preset or from an empty network; the link in the address bar always holds your design.'}</p>
    </div>`;
  }

  protected override updated(): void {
    // The options exist only after the first render, so the selection is set here, not in the template.
    const sel = this.renderRoot.querySelector('select');
    if (sel && sel.value !== this.presetId) sel.value = this.presetId;
  }

  #preset(e: Event) {
    const sel = e.target as HTMLSelectElement;
    if (sel.value) emit(this, 'cp-preset', { id: sel.value });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-design-toolbar': CpDesignToolbar;
  }
}
