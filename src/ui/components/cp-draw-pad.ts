// Why: drawing your own digit is the most direct test of what a network learned. A 280×280 pad
// (mouse, pen or finger via pointer events; arrow keys + Space for the keyboard) is reduced to 28×28
// the way MNIST was made (fit in 20×20, centre by mass) and sent up while drawing, throttled.
import { css, html, LitElement } from 'lit';
import { customElement, query } from 'lit/decorators.js';
import { emit } from '../events';
import { mnistPixels } from '../mnist-pixels';
import { controls } from '../styles/shared';

const SIZE = 280;
const THROTTLE_MS = 150;

@customElement('cp-draw-pad')
export class CpDrawPad extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: inline-flex; flex-direction: column; gap: 6px; }
      canvas { width: var(--cp-pad-size, 196px); height: var(--cp-pad-size, 196px); background: #000; border-radius: 8px; touch-action: none; cursor: crosshair; }
      .row { display: flex; gap: 8px; align-items: center; font-size: 0.75rem; color: var(--cp-muted, #5c6270); }
    `,
  ];

  @query('canvas') private canvas!: HTMLCanvasElement;
  #drawing = false;
  #last?: [number, number];
  #cursor: [number, number] = [SIZE / 2, SIZE / 2];
  #penDown = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSent = 0;
  #inked = false;

  override render() {
    return html`<canvas width=${SIZE} height=${SIZE} tabindex="0" role="img"
        aria-label="Drawing pad: draw a digit with the mouse, a pen or a finger; with the keyboard, the arrow keys move the pen and Space lifts or lowers it"
        @pointerdown=${this.#down} @pointermove=${this.#move} @pointerup=${this.#up} @pointercancel=${this.#up} @keydown=${this.#key}></canvas>
      <div class="row"><button @click=${this.clear}>Clear</button><span>Draw a digit</span></div>`;
  }

  protected override firstUpdated(): void {
    this.#blank();
  }

  #ctx(): CanvasRenderingContext2D {
    return this.canvas.getContext('2d', { willReadFrequently: true })!;
  }

  #blank() {
    const ctx = this.#ctx();
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
  }

  clear = () => {
    this.#blank();
    this.#inked = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    emit(this, 'cp-inspect-draw', { pixels: null });
  };

  #point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  }

  #stroke(from: [number, number], to: [number, number]) {
    const ctx = this.#ctx();
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#fff';
    ctx.lineWidth = 20;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0] + 0.01, to[1]);
    ctx.stroke();
    this.#inked = true;
    this.#schedule();
  }

  #down = (e: PointerEvent) => {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.#drawing = true;
    this.#last = this.#point(e);
    this.#stroke(this.#last, this.#last);
  };

  #move = (e: PointerEvent) => {
    if (!this.#drawing || !this.#last) return;
    const p = this.#point(e);
    this.#stroke(this.#last, p);
    this.#last = p;
  };

  #up = () => {
    if (!this.#drawing) return;
    this.#drawing = false;
    this.#last = undefined;
    this.#send();
  };

  #key = (e: KeyboardEvent) => {
    const step = 14;
    const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      this.#penDown = !this.#penDown;
      if (this.#penDown) this.#stroke(this.#cursor, this.#cursor);
      else this.#send();
      return;
    }
    const v = d[e.key];
    if (!v) return;
    e.preventDefault();
    const next: [number, number] = [Math.max(10, Math.min(SIZE - 10, this.#cursor[0] + v[0])), Math.max(10, Math.min(SIZE - 10, this.#cursor[1] + v[1]))];
    if (this.#penDown) this.#stroke(this.#cursor, next);
    this.#cursor = next;
  };

  #schedule() {
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, THROTTLE_MS - (performance.now() - this.#lastSent));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#send();
    }, wait);
  }

  /** The pad as 28×28 MNIST bytes. */
  pixels(): Uint8Array {
    const rgba = this.#ctx().getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4]! / 255;
    return mnistPixels(ink, SIZE, SIZE);
  }

  #send() {
    if (!this.#inked) return;
    this.#lastSent = performance.now();
    emit(this, 'cp-inspect-draw', { pixels: this.pixels() });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-draw-pad': CpDrawPad;
  }
}
