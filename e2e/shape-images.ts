// Why: the own-data journeys need a folder of real image files, made on the spot: small PNGs of three
// classes of coloured shapes (disc, square, triangle), each at a random place, size, shade and
// background, in assorted image sizes (so the builder must resize and centre them). A tiny PNG
// encoder (zlib from Node) keeps the test free of image libraries.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGB PNG of w×h pixels (rgb: 3 bytes per pixel, row-major). */
export function png(w: number, h: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((3 * w + 1) * h);
  for (let y = 0; y < h; y++) Buffer.from(rgb.subarray(3 * w * y, 3 * w * (y + 1))).copy(raw, (3 * w + 1) * y + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

export const SHAPES = ['disc', 'square', 'triangle'] as const;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One shape image: the class decides the shape and leans its colour (red, green, blue). */
function shapeImage(kind: number, random: () => number): Buffer {
  const w = 36 + Math.floor(random() * 28);
  const h = 36 + Math.floor(random() * 28);
  const side = Math.min(w, h);
  const r = side * (0.22 + random() * 0.12);
  const cx = w / 2 + (random() - 0.5) * (side - 2 * r) * 0.8;
  const cy = h / 2 + (random() - 0.5) * (side - 2 * r) * 0.8;
  const colour = [0, 1, 2].map((c) => (c === kind ? 170 + random() * 85 : 40 + random() * 90));
  const bg = [0, 1, 2].map(() => random() * 60);
  const px = new Uint8Array(3 * w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const inside = kind === 0 ? dx * dx + dy * dy <= r * r : kind === 1 ? Math.abs(dx) <= r * 0.9 && Math.abs(dy) <= r * 0.9 : dy <= r * 0.8 && dy >= -r && Math.abs(dx) <= (dy + r) * 0.6;
      for (let c = 0; c < 3; c++) px[3 * (y * w + x) + c] = Math.max(0, Math.min(255, (inside ? colour[c]! : bg[c]!) + (random() - 0.5) * 30));
    }
  }
  return png(w, h, px);
}

/** Writes <dir>/<root>/<shape>/<n>.png, `perClass` of each, plus a note and an undecodable "image". */
export function writeShapeFolder(dir: string, root: string, perClass: number, seed = 1): string {
  const random = rng(seed);
  const base = join(dir, root);
  SHAPES.forEach((shape, kind) => {
    mkdirSync(join(base, shape), { recursive: true });
    for (let i = 0; i < perClass; i++) writeFileSync(join(base, shape, `${shape}-${String(i).padStart(3, '0')}.png`), shapeImage(kind, random));
  });
  writeFileSync(join(base, 'notes.txt'), 'not an image, and not in a class folder either');
  writeFileSync(join(base, 'disc', 'broken.png'), Buffer.from('this is not a PNG'));
  return base;
}
