// Why: tests of the user-dataset path need real image files: small PNGs of three classes of shapes
// in random colours and places (only the shape tells the class), drawn with OffscreenCanvas.
export const SHAPE_CLASSES = ['cross', 'ring', 'square'] as const;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const colour = (random: () => number, lo: number, hi: number) => `rgb(${[0, 1, 2].map(() => Math.round(lo + random() * (hi - lo))).join(',')})`;

/** `perClass` PNG files per class at paths "root/<class>/<n>.png", random sizes 20–40 px. */
export async function shapeFiles(perClass: number, seed: number, root = 'shapes'): Promise<{ path: string; file: Blob }[]> {
  const random = rng(seed);
  const out: { path: string; file: Blob }[] = [];
  for (const [k, name] of SHAPE_CLASSES.entries()) {
    for (let i = 0; i < perClass; i++) {
      const w = 20 + Math.floor(random() * 20);
      const h = 20 + Math.floor(random() * 20);
      const c = new OffscreenCanvas(w, h);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = colour(random, 0, 90);
      ctx.fillRect(0, 0, w, h);
      const side = Math.min(w, h);
      const r = side * (0.25 + random() * 0.1);
      const cx = w / 2 + (random() - 0.5) * side * 0.2;
      const cy = h / 2 + (random() - 0.5) * side * 0.2;
      ctx.fillStyle = ctx.strokeStyle = colour(random, 140, 255);
      ctx.lineWidth = side * 0.12;
      if (k === 0) {
        ctx.fillRect(cx - r, cy - ctx.lineWidth / 2, 2 * r, ctx.lineWidth);
        ctx.fillRect(cx - ctx.lineWidth / 2, cy - r, ctx.lineWidth, 2 * r);
      } else if (k === 1) {
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.stroke();
      } else ctx.fillRect(cx - r, cy - r, 2 * r, 2 * r);
      out.push({ path: `${root}/${name}/${i}.png`, file: await c.convertToBlob({ type: 'image/png' }) });
    }
  }
  return out;
}
