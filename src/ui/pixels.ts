// Why: images may be grey (one plane) or colour (three planes, R, G, B, in CHW order); every view
// that draws dataset pictures or the network's input shares these two painters.

/** Paints image `index` of CHW byte planes into RGBA `out` (grey repeated in R, G and B). */
export function paintPlanes(out: Uint8ClampedArray, images: ArrayLike<number>, index: number, C: number, pixels: number): void {
  const base = index * C * pixels;
  for (let p = 0; p < pixels; p++) {
    const r = images[base + p]!;
    out[4 * p] = r;
    out[4 * p + 1] = C === 3 ? images[base + pixels + p]! : r;
    out[4 * p + 2] = C === 3 ? images[base + 2 * pixels + p]! : r;
    out[4 * p + 3] = 255;
  }
}

/** Paints three float planes as colour, each stretched over [lo, hi] (normalised values back to light). */
export function paintRgbFloat(out: Uint8ClampedArray, values: ArrayLike<number>, pixels: number, lo: number, hi: number): void {
  const k = hi > lo ? 255 / (hi - lo) : 0;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) out[4 * p + c] = (values[c * pixels + p]! - lo) * k;
    out[4 * p + 3] = 255;
  }
}
