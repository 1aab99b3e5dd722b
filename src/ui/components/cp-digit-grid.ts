// Why: shows dataset images as small pictures with their labels: the first proof to a user that
// real data is loaded, and later the picker for the activation view.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from '../events';
import { paintPlanes } from '../pixels';

export interface DigitSamples {
  rows: number;
  cols: number;
  /** Colour planes per image (absent: 1). */
  channels?: number;
  /** count·channels·rows·cols bytes (CHW per image), 0 = background. */
  images: Uint8Array;
  labels: Uint8Array;
  classNames: readonly string[];
}

@customElement('cp-digit-grid')
export class CpDigitGrid extends LitElement {
  static override styles = css`
    :host { display: block; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: var(--cp-digit-gap, 8px); margin: 0; padding: 0; }
    li { display: flex; flex-direction: column; align-items: center; font: 12px/1.4 var(--cp-font, system-ui); color: var(--cp-muted, #555); }
    canvas { width: var(--cp-digit-size, 56px); height: var(--cp-digit-size, 56px); image-rendering: pixelated; border-radius: 4px; background: #000; }
    li.pick canvas { cursor: pointer; }
    li.selected canvas { outline: 3px solid var(--cp-accent, #3b5bdb); outline-offset: 1px; }
    button { font: inherit; font-size: 12px; border: 1px solid var(--cp-border, #d0d4dc); background: var(--cp-surface, #fff); border-radius: 6px; padding: 0 8px; cursor: pointer; color: inherit; }
    li.selected button { background: var(--cp-accent, #3b5bdb); color: #fff; border-color: var(--cp-accent, #3b5bdb); }
    button:focus-visible { outline: 2px solid var(--cp-accent, #3b5bdb); outline-offset: 2px; }
  `;

  @property({ attribute: false }) samples?: DigitSamples;
  /** Each image gets a "look inside" button (cp-inspect-pick with its index). */
  @property({ type: Boolean }) selectable = false;
  /** The picked image (-1: none). */
  @property({ type: Number }) selectedIndex = -1;

  override render() {
    const s = this.samples;
    if (!s) return html``;
    return html`<ul aria-label="Sample images">
      ${[...s.labels].map(
        (label, i) => html`<li class=${this.selectable ? (i === this.selectedIndex ? 'pick selected' : 'pick') : ''}>
          <canvas data-index=${i} width=${s.cols} height=${s.rows} role="img" aria-label=${`Image ${i + 1}, label ${s.classNames[label] ?? label}`}
            @click=${() => this.selectable && emit(this, 'cp-inspect-pick', { index: i })}></canvas>
          ${this.selectable
            ? html`<button aria-pressed=${i === this.selectedIndex ? 'true' : 'false'} aria-label=${`Look inside image ${i + 1} (label ${s.classNames[label] ?? label})`}
                @click=${() => emit(this, 'cp-inspect-pick', { index: i })}>${s.classNames[label] ?? label}</button>`
            : html`<span>${s.classNames[label] ?? label}</span>`}
        </li>`,
      )}
    </ul>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('samples') || !this.samples) return;
    const { rows, cols, images, channels = 1 } = this.samples;
    const px = rows * cols;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas')) {
      const i = Number(canvas.dataset['index']);
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      const img = ctx.createImageData(cols, rows);
      paintPlanes(img.data, images, i, channels, px);
      ctx.putImageData(img, 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-digit-grid': CpDigitGrid;
  }
}
