// Why: a digit drawn on a 280×280 pad must look like an MNIST digit before the network sees it, or
// the prediction is noise. MNIST's own preprocessing: fit the ink's bounding box into 20×20 keeping
// the aspect ratio (anti-aliased), then place it in 28×28 so that its centre of mass is the centre.

export const MNIST_SIZE = 28;
const BOX = 20;

/**
 * Turns ink coverage (0…1 per pixel, row-major `width`×`height`) into 28×28 MNIST bytes
 * (0 = background, 255 = full ink). All-blank input gives all zeros.
 */
export function mnistPixels(ink: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(MNIST_SIZE * MNIST_SIZE);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.02) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return out;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = BOX / Math.max(bw, bh);
  const sw = Math.max(1, Math.round(bw * scale));
  const sh = Math.max(1, Math.round(bh * scale));
  // Area-average the bounding box down to sw×sh.
  const small = new Float32Array(sw * sh);
  for (let sy = 0; sy < sh; sy++) {
    const ya = y0 + (sy * bh) / sh, yb = y0 + ((sy + 1) * bh) / sh;
    for (let sx = 0; sx < sw; sx++) {
      const xa = x0 + (sx * bw) / sw, xb = x0 + ((sx + 1) * bw) / sw;
      let sum = 0, area = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          if (wx <= 0) continue;
          sum += ink[y * width + x]! * wx * wy;
          area += wx * wy;
        }
      }
      small[sy * sw + sx] = area > 0 ? sum / area : 0;
    }
  }
  // Centre of mass of the small image, moved to the centre of 28×28.
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    const v = small[y * sw + x]!;
    mass += v;
    cx += v * (x + 0.5);
    cy += v * (y + 0.5);
  }
  const ox = Math.round(MNIST_SIZE / 2 - (mass > 0 ? cx / mass : sw / 2));
  const oy = Math.round(MNIST_SIZE / 2 - (mass > 0 ? cy / mass : sh / 2));
  for (let y = 0; y < sh; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= MNIST_SIZE) continue;
    for (let x = 0; x < sw; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= MNIST_SIZE) continue;
      out[ty * MNIST_SIZE + tx] = Math.round(Math.min(1, small[y * sw + x]!) * 255);
    }
  }
  return out;
}
