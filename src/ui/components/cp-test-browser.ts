// Why: only the first 16 test images had a button; a student hunting for the network's mistakes needs
// all 10,000: go to an image by number, step through one class, jump at random, or walk only the
// misclassified ones (from the last evaluation's predictions). Picking sends cp-test-image up.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fmt } from '../../model';
import type { TestSet } from '../controllers/test-set-controller';
import { emitExplain } from '../explain/explain-events';
import { controls } from '../styles/shared';
import { paintPlanes } from '../pixels';

@customElement('cp-test-browser')
export class CpTestBrowser extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      h4 { margin: 0 0 6px; font-size: 0.95rem; }
      .row { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 4px 0; font-size: 0.82rem; }
      .now { display: flex; gap: 10px; align-items: center; font-size: 0.82rem; }
      canvas { width: 56px; height: 56px; image-rendering: pixelated; background: #000; border-radius: 4px; }
      input[type='text'] { width: 5.5em; }
      .wrong { color: var(--cp-error, #c92a2a); font-weight: 600; }
      .right { color: #2b8a3e; font-weight: 600; }
      .muted { color: var(--cp-muted, #5c6270); }
    `,
  ];

  @property({ attribute: false }) testSet?: TestSet;
  /** Predicted class of every test image (from the last evaluation), when known. */
  @property({ attribute: false }) predictions?: Uint8Array;
  @property({ attribute: false }) classNames: readonly string[] = [];
  /** The test image being looked at (−1: a drawing). */
  @property({ type: Number }) index = -1;
  @property() error = '';
  @state() private klass = -1;
  @state() private wrongOnly = false;
  @state() private typed = '';
  #matching: number[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('testSet') || changed.has('predictions') || changed.has('klass' as keyof CpTestBrowser) || changed.has('wrongOnly' as keyof CpTestBrowser)) this.#matching = this.#filter();
  }

  #filter(): number[] {
    const s = this.testSet;
    if (!s) return [];
    const p = this.wrongOnly ? this.predictions : undefined;
    const out: number[] = [];
    for (let i = 0; i < s.labels.length; i++) {
      if (this.klass >= 0 && s.labels[i] !== this.klass) continue;
      if (p && p[i] === s.labels[i]) continue;
      out.push(i);
    }
    return out;
  }

  override render() {
    const s = this.testSet;
    if (this.error) return html`<p class="muted" role="alert">The test set could not be loaded: ${this.error}</p>`;
    if (!s) return html`<p class="muted">Loading the test set…</p>`;
    const name = (k: number) => this.classNames[k] ?? String(k);
    const i = this.index;
    const pred = i >= 0 ? this.predictions?.[i] : undefined;
    const m = this.#matching;
    return html`<section aria-label="Browse the test set">
      <h4>Any of the ${fmt(s.labels.length)} test images</h4>
      ${i >= 0
        ? html`<div class="now" role="status" aria-label="Test image shown">
            <canvas width=${s.cols} height=${s.rows} role="img" aria-label=${`Test image ${i + 1}`}></canvas>
            <span>Test image <b>${fmt(i + 1)}</b> · label <b>${name(s.labels[i]!)}</b>${pred !== undefined
              ? html` · predicted <b>${name(pred)}</b> ${pred === s.labels[i] ? html`<span class="right">✓</span>` : html`<span class="wrong">✗ misclassified</span>`}`
              : nothing}</span>
          </div>`
        : html`<p class="muted">Looking at a drawing.</p>`}
      <div class="row">
        <label>Image number <input type="text" inputmode="numeric" aria-label="Test image number" .value=${this.typed || (i >= 0 ? String(i + 1) : '')}
          @input=${(e: Event) => (this.typed = (e.target as HTMLInputElement).value)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.#go()} /></label>
        <button @click=${() => this.#go()}>Go</button>
      </div>
      <div class="row">
        <label>Class <select aria-label="Only class" @change=${(e: Event) => (this.klass = Number((e.target as HTMLSelectElement).value))}>
          <option value="-1" ?selected=${this.klass < 0}>any</option>
          ${Array.from({ length: 10 }, (_, k) => html`<option value=${k} ?selected=${this.klass === k}>${name(k)}</option>`)}
        </select></label>
        <label title=${this.predictions ? 'Only images the network gets wrong (last evaluation)' : 'Needs an evaluation: train for an epoch first'}>
          <input type="checkbox" aria-label="Misclassified only" .checked=${this.wrongOnly} ?disabled=${!this.predictions}
            @change=${(e: Event) => (this.wrongOnly = (e.target as HTMLInputElement).checked)} /> misclassified only</label>
        <span class="muted" aria-live="polite">${fmt(m.length)} match</span>
      </div>
      <div class="row" role="group" aria-label="Step through the matching images">
        <button ?disabled=${m.length === 0} @click=${() => this.#step(-1)}>◀ Previous</button>
        <button ?disabled=${m.length === 0} @click=${() => this.#random()}>Random</button>
        <button ?disabled=${m.length === 0} @click=${() => this.#step(1)}>Next ▶</button>
      </div>
    </section>`;
  }

  #open(index: number) {
    this.typed = '';
    emitExplain(this, 'cp-test-image', { index });
  }

  #go() {
    const n = Number(this.typed.trim().replace(/,/g, ''));
    const count = this.testSet?.labels.length ?? 0;
    if (!Number.isInteger(n) || n < 1 || n > count) {
      this.typed = '';
      return;
    }
    this.#open(n - 1);
  }

  /** The next (or previous) matching image after the current one, wrapping around. */
  #step(d: 1 | -1) {
    const m = this.#matching;
    if (m.length === 0) return;
    const i = this.index;
    const next = d > 0 ? (m.find((x) => x > i) ?? m[0]!) : ([...m].reverse().find((x) => x < i) ?? m[m.length - 1]!);
    this.#open(next);
  }

  #random() {
    const m = this.#matching;
    if (m.length > 0) this.#open(m[Math.floor(Math.random() * m.length)]!);
  }

  protected override updated(): void {
    const s = this.testSet;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('.now canvas');
    const ctx = canvas?.getContext('2d');
    if (!s || !ctx || this.index < 0) return;
    const px = s.rows * s.cols;
    const img = ctx.createImageData(s.cols, s.rows);
    paintPlanes(img.data, s.images, this.index, s.channels, px);
    ctx.putImageData(img, 0, 0);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-test-browser': CpTestBrowser;
  }
}
