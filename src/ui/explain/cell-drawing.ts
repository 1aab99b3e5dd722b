// Why: the explanation panels draw two kinds of picture: a layer's input map with the filter's taps on
// it (padding drawn as padding, dilated taps spread out), and the input image with a cell's receptive
// field outlined. Plain canvas 2D at a fixed cell size, redrawn only when the explanation changes.
import type { PixelBox } from '../../worker/protocol';
import { rangeOf, sequential } from '../colormap';

export interface TapDrawing {
  /** The map [H, W] at `start` in `data`. */
  data: ArrayLike<number>;
  start: number;
  H: number;
  W: number;
  /** Padding drawn around the map (rows, columns). */
  PH: number;
  PW: number;
  /** Input coordinates of every tap (may fall in the padding). */
  taps: [number, number][];
  /** A tap drawn stronger (the pooling max), by index into taps. */
  strong?: number;
}

/** Cell size in CSS pixels for a padded map of `cells` per side, between 5 and 22. */
export function cellSize(cells: number, budget = 230): number {
  return Math.max(5, Math.min(22, Math.floor(budget / Math.max(1, cells))));
}

const PAD_FILL = '#eef0f3';
const PAD_HATCH = '#c4c9d2';
const TAP = '#ff3d7f';

export function drawTaps(canvas: HTMLCanvasElement, d: TapDrawing): void {
  const rows = d.H + 2 * d.PH;
  const cols = d.W + 2 * d.PW;
  const s = cellSize(Math.max(rows, cols));
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = cols * s * dpr;
  canvas.height = rows * s * dpr;
  canvas.style.width = `${cols * s}px`;
  canvas.style.height = `${rows * s}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const range = rangeOf(d.data, d.start, d.start + d.H * d.W);
  const span = range.max - range.min || 1;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const iy = r - d.PH;
      const ix = c - d.PW;
      if (iy < 0 || iy >= d.H || ix < 0 || ix >= d.W) {
        ctx.fillStyle = PAD_FILL;
        ctx.fillRect(c * s, r * s, s, s);
        ctx.strokeStyle = PAD_HATCH;
        ctx.beginPath();
        ctx.moveTo(c * s, (r + 1) * s);
        ctx.lineTo((c + 1) * s, r * s);
        ctx.stroke();
        continue;
      }
      const [R, G, B] = sequential((d.data[d.start + iy * d.W + ix]! - range.min) / span);
      ctx.fillStyle = `rgb(${R} ${G} ${B})`;
      ctx.fillRect(c * s, r * s, s, s);
    }
  ctx.lineWidth = Math.max(1.5, s / 6);
  d.taps.forEach(([iy, ix], i) => {
    ctx.strokeStyle = TAP;
    ctx.lineWidth = i === d.strong ? Math.max(3, s / 3) : Math.max(1.5, s / 6);
    ctx.strokeRect((ix + d.PW) * s + 1, (iy + d.PH) * s + 1, s - 2, s - 2);
  });
}

/** The network's input (first channel, or RGB when C = 3) with `box` outlined. */
export function drawReceptiveField(canvas: HTMLCanvasElement, image: ArrayLike<number>, shape: readonly [number, number, number], box: PixelBox, px = 5): void {
  const [C, H, W] = shape;
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = W * px * dpr;
  canvas.height = H * px * dpr;
  canvas.style.width = `${W * px}px`;
  canvas.style.height = `${H * px}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const range = rangeOf(image);
  const span = range.max - range.min || 1;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const v = (c: number) => Math.round((255 * (image[(c * H + y) * W + x]! - range.min)) / span);
      const [R, G, B] = C === 3 ? [v(0), v(1), v(2)] : [v(0), v(0), v(0)];
      ctx.fillStyle = `rgb(${R} ${G} ${B})`;
      ctx.fillRect(x * px, y * px, px, px);
    }
  ctx.fillStyle = 'rgb(255 61 127 / 0.18)';
  ctx.fillRect(box.x0 * px, box.y0 * px, (box.x1 - box.x0 + 1) * px, (box.y1 - box.y0 + 1) * px);
  ctx.strokeStyle = TAP;
  ctx.lineWidth = 2;
  ctx.strokeRect(box.x0 * px + 1, box.y0 * px + 1, (box.x1 - box.x0 + 1) * px - 2, (box.y1 - box.y0 + 1) * px - 2);
}
