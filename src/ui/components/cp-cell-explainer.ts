// Why: "how was this value computed?" — the panel that opens when a cell of any layer's map is
// clicked (or chosen with the keyboard). It names the cell, moves it (arrow keys or buttons: the
// window slides by the stride, so stride and padding are seen), and hands the engine's numbers to the
// panel for the layer's kind. It sends events up; <cp-app> asks the worker.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BatchNormModes, CellExplanation, CellPosition } from '../../worker/protocol';
import { emitExplain } from '../explain/explain-events';
import { num } from '../explain/cell-format';
import { explainStyles } from '../explain/explain-styles';
import { controls, panel } from '../styles/shared';
import './cp-conv-cell-panel';
import './cp-pool-cell-panel';
import './cp-dense-panel';
import './cp-batch-norm-panel';

const MOVES: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

@customElement('cp-cell-explainer')
export class CpCellExplainer extends LitElement {
  static override styles = [
    panel,
    controls,
    explainStyles,
    css`
      :host { display: block; }
      .head { display: flex; flex-wrap: wrap; gap: 8px; justify-content: space-between; align-items: center; }
      .nav { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
      .nav button { padding: 2px 8px; }
      h2 span { font-weight: 400; color: var(--cp-muted, #5c6270); }
      .error { color: var(--cp-error, #c92a2a); font-size: 0.85rem; }
      .hint { font-size: 0.75rem; color: var(--cp-muted, #5c6270); margin: 6px 0 0; }
    `,
  ];

  @property({ attribute: false }) cell?: CellExplanation;
  @property({ attribute: false }) target?: { layerId: string; at: CellPosition };
  @property() error = '';
  @property({ attribute: false }) modes?: BatchNormModes;
  @property() modesError = '';
  /** layerId → the layer's kind in the lecture's words. */
  @property({ attribute: false }) kinds: ReadonlyMap<string, string> = new Map();
  @property({ attribute: false }) classNames: readonly string[] = [];

  override render() {
    const t = this.target;
    if (!t) return nothing;
    const c = this.cell && this.cell.layerId === t.layerId ? this.cell : undefined;
    const shape = c?.outShape;
    const spatial = shape?.length === 3;
    const where = spatial ? `map ${t.at.c + 1} of ${shape![0]}, row ${t.at.y}, column ${t.at.x}` : `unit ${t.at.c + 1}${shape ? ` of ${shape[0]}` : ''}`;
    return html`<section class="panel" aria-label="How this value was computed" tabindex="-1" @keydown=${this.#keydown}>
      <div class="head">
        <h2>How ${t.layerId} <span>(${this.kinds.get(t.layerId) ?? ''}) ${where}</span> was computed${c ? html`: <b>${num(c.value)}</b>` : nothing}</h2>
        <div class="nav" role="group" aria-label="Move the cell">
          ${spatial
            ? html`<button aria-label="Move up" @click=${() => this.#move(-1, 0)}>↑</button>
                <button aria-label="Move down" @click=${() => this.#move(1, 0)}>↓</button>
                <button aria-label="Move left" @click=${() => this.#move(0, -1)}>←</button>
                <button aria-label="Move right" @click=${() => this.#move(0, 1)}>→</button>`
            : html`<button aria-label="Previous unit" @click=${() => this.#move(0, -1)}>←</button>
                <button aria-label="Next unit" @click=${() => this.#move(0, 1)}>→</button>`}
          ${spatial ? html`<button aria-label="Previous map" @click=${() => this.#channel(-1)}>map −</button><button aria-label="Next map" @click=${() => this.#channel(1)}>map +</button>` : nothing}
          <button aria-label="Close the explanation" @click=${() => emitExplain(this, 'cp-cell-close', {})}>✕</button>
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : !c ? html`<p class="muted">Reading the numbers from the engine…</p>` : this.#body(c)}
      <p class="hint">Arrow keys move the cell${spatial ? ' (the window slides by the stride); Page Up/Down change the map' : ''}; Escape closes.</p>
    </section>`;
  }

  #body(c: CellExplanation) {
    switch (c.kind) {
      case 'conv2d':
        return html`<cp-conv-cell-panel .cell=${c}></cp-conv-cell-panel>`;
      case 'max-pool':
      case 'avg-pool':
      case 'global-avg-pool':
        return html`<cp-pool-cell-panel .cell=${c}></cp-pool-cell-panel>`;
      case 'dense':
        return html`<cp-dense-panel .cell=${c} .classNames=${this.classNames}></cp-dense-panel>`;
      case 'batch-norm':
        return html`<cp-batch-norm-panel .cell=${c} .modes=${this.modes} modesError=${this.modesError} .classNames=${this.classNames}></cp-batch-norm-panel>`;
      case 'activation': {
        const f = c.fn === 'relu' ? 'max(0, x)' : c.fn === 'leaky-relu' ? `max(${c.alpha}·x, x)` : c.fn === 'sigmoid' ? '1 / (1 + e^−x)' : 'tanh(x)';
        return html`<p class="total" role="status" aria-label="Activation">${c.fn}: ${f} with x = ${num(c.before)} gives <b>${num(c.after)}</b>.</p>
          <p class="why">Before → after: the ${c.fn} is applied to each value on its own, so this cell depends only on the same cell of the layer before.</p>`;
      }
      case 'flatten':
      case 'dropout':
        return html`<p class="total" role="status" aria-label="Pass through">${c.kind === 'flatten' ? 'Flatten copies' : 'Dropout (off at test time) passes on'} the input value at channel ${c.from.c + 1}${c.inShape.length === 3 ? `, row ${c.from.y}, column ${c.from.x}` : ''}: <b>${num(c.value)}</b>.</p>`;
      case 'add': {
        const shortcut = c.projection ? `the projection ${c.shortcutFrom} (a 1×1 conv of the block's input)` : `the block's input, ${c.shortcutFrom}'s output (identity)`;
        const relu = c.activation ? html`, then ${c.activation.kind}: <b>${num(c.activation.after)}</b>` : nothing;
        return html`<p class="total" role="status" aria-label="Residual sum">Body (${c.bodyFrom}) ${num(c.body)} + shortcut ${num(c.shortcut)} = <b>${num(c.sum)}</b>${relu}.</p>
          <p class="why">The shortcut is ${shortcut}. The block learns only the difference F(x) = y − x, and in training the gradient reaches x along the shortcut unchanged.</p>`;
      }
      default:
        return c satisfies never;
    }
  }

  #keydown = (e: KeyboardEvent) => {
    const m = MOVES[e.key];
    if (m) {
      e.preventDefault();
      this.#move(m[0], m[1]);
    } else if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      this.#channel(e.key === 'PageUp' ? -1 : 1);
    } else if (e.key === 'Escape') {
      emitExplain(this, 'cp-cell-close', {});
    }
  };

  #move(dy: number, dx: number) {
    const t = this.target;
    const shape = this.cell?.layerId === t?.layerId ? this.cell?.outShape : undefined;
    if (!t || !shape) return;
    if (shape.length === 3) {
      const [, H, W] = shape as [number, number, number];
      const y = Math.min(H - 1, Math.max(0, t.at.y + dy));
      const x = Math.min(W - 1, Math.max(0, t.at.x + dx));
      if (y !== t.at.y || x !== t.at.x) emitExplain(this, 'cp-cell-pick', { layerId: t.layerId, at: { ...t.at, y, x } });
    } else {
      const c = Math.min(shape[0]! - 1, Math.max(0, t.at.c + dx + dy));
      if (c !== t.at.c) emitExplain(this, 'cp-cell-pick', { layerId: t.layerId, at: { ...t.at, c } });
    }
  }

  #channel(d: number) {
    const t = this.target;
    const shape = this.cell?.layerId === t?.layerId ? this.cell?.outShape : undefined;
    if (!t || !shape || shape.length !== 3) return;
    const c = Math.min(shape[0]! - 1, Math.max(0, t.at.c + d));
    if (c !== t.at.c) emitExplain(this, 'cp-cell-pick', { layerId: t.layerId, at: { ...t.at, c } });
  }

  /** Moves keyboard focus into the panel (after a pick from the maps). */
  focusPanel(): void {
    this.renderRoot.querySelector<HTMLElement>('section')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-cell-explainer': CpCellExplainer;
  }
}
