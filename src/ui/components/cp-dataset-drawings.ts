// Why: a dataset can also be made by hand, Teachable-Machine style: name a class, draw examples of
// it on a pad, switch to the next class, and build the dataset from the drawings. The drawings go
// through the same import as dropped files (as 28×28 PNGs in one folder per class).
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emitDataset } from '../dataset-events';
import type { DesignEvent } from '../events';
import { collector, controls } from '../styles/shared';
import type { CpDrawPad } from './cp-draw-pad';
import './cp-draw-pad';

@customElement('cp-dataset-drawings')
export class CpDatasetDrawings extends LitElement {
  static override styles = [
    controls,
    collector,
    css`
      ul { margin: 4px 0; padding-left: 18px; }
    `,
  ];

  /** Drawings collected so far, per class name. */
  @property({ attribute: false }) counts: readonly (readonly [string, number])[] = [];
  @property({ type: Boolean }) busy = false;
  @state() private klass = 'class 1';
  @state() private pixels: Uint8Array | null = null;

  #drawn = (e: DesignEvent<'cp-inspect-draw'>) => {
    // The pad's drawings are examples here, not images to look inside.
    e.stopPropagation();
    this.pixels = e.detail.pixels;
  };

  #add() {
    if (!this.pixels) return;
    emitDataset(this, 'cp-dataset-drawing', { className: this.klass.trim() || 'class 1', pixels: this.pixels });
    this.renderRoot.querySelector<CpDrawPad>('cp-draw-pad')?.clear();
  }

  override render() {
    const total = this.counts.reduce((a, [, n]) => a + n, 0);
    return html`<div class="row">
        <label>Class <input type="text" aria-label="Class of the next drawing" .value=${this.klass}
          @input=${(e: Event) => (this.klass = (e.target as HTMLInputElement).value)} /></label>
      </div>
      <cp-draw-pad @cp-inspect-draw=${this.#drawn}></cp-draw-pad>
      <div class="row">
        <button ?disabled=${!this.pixels || this.busy} @click=${() => this.#add()}>Add drawing to "${this.klass.trim() || 'class 1'}"</button>
      </div>
      ${total
        ? html`<ul aria-label="Drawings collected">${this.counts.map(([n, k]) => html`<li>${n}: ${k} drawing${k === 1 ? '' : 's'}</li>`)}</ul>
            <div class="row">
              <button class="primary" ?disabled=${this.busy} @click=${() => emitDataset(this, 'cp-dataset-action', { action: 'build-drawings' })}>Build dataset from ${total} drawings</button>
              <button ?disabled=${this.busy} @click=${() => emitDataset(this, 'cp-dataset-action', { action: 'clear-drawings' })}>Discard drawings</button>
            </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-dataset-drawings': CpDatasetDrawings;
  }
}
