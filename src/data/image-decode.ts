// Why: a user's images come in any size and format; training needs C×H×W bytes, all the same shape.
// The browser decodes (createImageBitmap works in the worker), the largest centred square is cut
// out (so nothing is stretched) and drawn at the chosen size; the RGBA pixels then become CHW planes
// (grey: the luma of ITU-R BT.601). The pure steps are separate so they can be tested on their own.

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/** The largest square centred in a w×h image: the part that is kept. */
export function centreSquare(w: number, h: number): { sx: number; sy: number; side: number } {
  const side = Math.min(w, h);
  return { sx: Math.floor((w - side) / 2), sy: Math.floor((h - side) / 2), side };
}

/** RGBA pixels (row-major, 4 bytes each) → C planes (C = 3: R, G, B; C = 1: grey). */
export function rgbaToPlanes(rgba: ArrayLike<number>, pixels: number, C: 1 | 3): Uint8Array {
  const out = new Uint8Array(C * pixels);
  for (let i = 0; i < pixels; i++) {
    const r = rgba[4 * i]!;
    const g = rgba[4 * i + 1]!;
    const b = rgba[4 * i + 2]!;
    if (C === 1) out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else {
      out[i] = r;
      out[pixels + i] = g;
      out[2 * pixels + i] = b;
    }
  }
  return out;
}

/** C planes → RGBA (grey repeated in R, G and B; opaque), for drawing or encoding as PNG. */
export function planesToRgba(planes: ArrayLike<number>, pixels: number, C: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * pixels);
  for (let i = 0; i < pixels; i++) {
    const r = planes[i]!;
    out[4 * i] = r;
    out[4 * i + 1] = C === 3 ? planes[pixels + i]! : r;
    out[4 * i + 2] = C === 3 ? planes[2 * pixels + i]! : r;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Bilinear resize of one byte plane (sample centres aligned, as image libraries do). */
export function resizePlane(src: ArrayLike<number>, sh: number, sw: number, dh: number, dw: number): Uint8Array {
  const out = new Uint8Array(dh * dw);
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(sh - 1, Math.max(0, ((y + 0.5) * sh) / dh - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(sw - 1, Math.max(0, ((x + 0.5) * sw) / dw - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = fx - x0;
      const top = src[y0 * sw + x0]! * (1 - wx) + src[y0 * sw + x1]! * wx;
      const bottom = src[y1 * sw + x0]! * (1 - wx) + src[y1 * sw + x1]! * wx;
      out[y * dw + x] = Math.round(top * (1 - wy) + bottom * wy);
    }
  }
  return out;
}

/** Decodes an image file to C×size×size bytes (centre square, resized); throws ImageDecodeError. */
export async function decodeImage(blob: Blob, size: number, C: 1 | 3): Promise<Uint8Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new ImageDecodeError('could not be decoded as an image');
  }
  try {
    if (bitmap.width < 1 || bitmap.height < 1) throw new ImageDecodeError('is an empty image');
    const { sx, sy, side } = centreSquare(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ImageDecodeError('could not be drawn (no 2D canvas)');
    // Transparent parts count as black, like MNIST's background.
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, sx, sy, side, side, 0, 0, size, size);
    return rgbaToPlanes(ctx.getImageData(0, 0, size, size).data, size * size, C);
  } finally {
    bitmap.close();
  }
}

/** C×size×size bytes as a PNG file. */
export async function encodePng(planes: Uint8Array, size: number, C: number): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to encode a PNG with');
  ctx.putImageData(new ImageData(planesToRgba(planes, size * size, C) as Uint8ClampedArray<ArrayBuffer>, size, size), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}
