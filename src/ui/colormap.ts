// Why: activations and filters are numbers; a picture needs a colour per number. Sequential maps
// (dark → bright) suit activations, a diverging map (blue − white + red) suits weights, whose sign matters.
// Normalisation picks the range: per map (each channel its own min…max) or per layer (one range).

export type Normalisation = 'map' | 'layer';

export interface Range {
  min: number;
  max: number;
}

/** min…max of data[start, end) (finite values only; 0…0 when none). */
export function rangeOf(data: ArrayLike<number>, start = 0, end = data.length): Range {
  let min = Infinity, max = -Infinity;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

// A compact viridis-like ramp: dark blue → teal → yellow.
const STOPS: [number, number, number][] = [
  [20, 18, 48], [59, 45, 120], [44, 104, 142], [33, 145, 140], [94, 201, 98], [253, 231, 37],
];

/** Sequential colour for t in [0, 1]. */
export function sequential(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!, b = STOPS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** Diverging colour for t in [−1, 1]: blue, white at 0, red. */
export function diverging(t: number): [number, number, number] {
  const x = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  if (x >= 0) return [255, Math.round(255 - 175 * x), Math.round(255 - 195 * x)];
  return [Math.round(255 + 195 * x), Math.round(255 + 140 * x), 255];
}

/** Writes data[start, start + w·h) into an RGBA buffer at (dx, dy) of a `stride`-pixel-wide image. */
export function paintSequential(rgba: Uint8ClampedArray, stride: number, dx: number, dy: number, data: ArrayLike<number>, start: number, w: number, h: number, range: Range): void {
  const span = range.max - range.min;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[start + y * w + x]!;
      const c = sequential(span > 0 ? (v - range.min) / span : 0);
      const o = ((dy + y) * stride + dx + x) * 4;
      rgba[o] = c[0];
      rgba[o + 1] = c[1];
      rgba[o + 2] = c[2];
      rgba[o + 3] = 255;
    }
  }
}

/** Like paintSequential, with a diverging map symmetric around 0 scaled by `absMax`. */
export function paintDiverging(rgba: Uint8ClampedArray, stride: number, dx: number, dy: number, data: ArrayLike<number>, start: number, w: number, h: number, absMax: number): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[start + y * w + x]!;
      const c = diverging(absMax > 0 ? v / absMax : 0);
      const o = ((dy + y) * stride + dx + x) * 4;
      rgba[o] = c[0];
      rgba[o + 1] = c[1];
      rgba[o + 2] = c[2];
      rgba[o + 3] = 255;
    }
  }
}
