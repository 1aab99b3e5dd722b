// Why: shows dataset images as small pictures with their labels: the first proof to a user that
// real data is loaded, and later the picker for the activation view.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export interface DigitSamples {
  rows: number;
  cols: number;
  /** count·rows·cols bytes, 0 = background. */
  images: Uint8Array;
  labels: Uint8Array;
  classNames: readonly string[];
}

@customElement('cp-digit-grid')
export class CpDigitGrid extends LitElement {
  static override styles = css`
    :host { display: block; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; }
    li { display: flex; flex-direction: column; align-items: center; font: 12px/1.4 var(--cp-font, system-ui); color: var(--cp-muted, #555); }
    canvas { width: 56px; height: 56px; image-rendering: pixelated; border-radius: 4px; background: #000; }
  `;

  @property({ attribute: false }) samples?: DigitSamples;

  override render() {
    const s = this.samples;
    if (!s) return html``;
    return html`<ul aria-label="Sample images">
      ${[...s.labels].map(
        (label, i) => html`<li>
          <canvas data-index=${i} width=${s.cols} height=${s.rows} role="img" aria-label=${`Image ${i + 1}, label ${s.classNames[label] ?? label}`}></canvas>
          <span>${s.classNames[label] ?? label}</span>
        </li>`,
      )}
    </ul>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('samples') || !this.samples) return;
    const { rows, cols, images } = this.samples;
    const px = rows * cols;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas')) {
      const i = Number(canvas.dataset['index']);
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      const img = ctx.createImageData(cols, rows);
      for (let p = 0; p < px; p++) {
        const v = images[i * px + p]!;
        img.data.set([v, v, v, 255], p * 4);
      }
      ctx.putImageData(img, 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-digit-grid': CpDigitGrid;
  }
}
