import { describe, expect, it } from 'vitest';
import { centreSquare, decodeImage, encodePng, ImageDecodeError, planesToRgba, resizePlane, rgbaToPlanes } from './image-decode';

async function pngOf(w: number, h: number, paint: (ctx: OffscreenCanvasRenderingContext2D) => void): Promise<Blob> {
  const c = new OffscreenCanvas(w, h);
  paint(c.getContext('2d')!);
  return c.convertToBlob({ type: 'image/png' });
}

describe('image preparation (pure steps)', () => {
  it('keeps the centred square of any image', () => {
    expect(centreSquare(40, 20)).toEqual({ sx: 10, sy: 0, side: 20 });
    expect(centreSquare(21, 50)).toEqual({ sx: 0, sy: 14, side: 21 });
    expect(centreSquare(7, 7)).toEqual({ sx: 0, sy: 0, side: 7 });
  });

  it('turns RGBA into CHW planes (grey: BT.601 luma) and back', () => {
    const rgba = Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255]);
    expect(Array.from(rgbaToPlanes(rgba, 4, 3))).toEqual([255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30]);
    expect(Array.from(rgbaToPlanes(rgba, 4, 1))).toEqual([76, 150, 29, 18]);
    expect(Array.from(planesToRgba(rgbaToPlanes(rgba, 4, 3), 4, 3))).toEqual(Array.from(rgba));
    expect(Array.from(planesToRgba([7, 9], 2, 1))).toEqual([7, 7, 7, 255, 9, 9, 9, 255]);
  });

  it('resizes a plane bilinearly: identity, halving averages, a constant stays constant', () => {
    const src = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    expect(Array.from(resizePlane(src, 3, 4, 3, 4))).toEqual(Array.from(src));
    expect(Array.from(resizePlane([0, 100, 200, 100], 2, 2, 1, 1))).toEqual([100]);
    expect(Array.from(resizePlane(new Uint8Array(9).fill(77), 3, 3, 7, 5))).toEqual(Array(35).fill(77));
  });
});

describe('decoding image files in the browser', () => {
  it('decodes a wide PNG to its centred square, resized, in colour and in grey', async () => {
    // 40×20: red on the left half, blue on the right; the centre square (x 10…30) is half of each.
    const blob = await pngOf(40, 20, (ctx) => {
      ctx.fillStyle = '#f00';
      ctx.fillRect(0, 0, 20, 20);
      ctx.fillStyle = '#00f';
      ctx.fillRect(20, 0, 20, 20);
    });
    const px = await decodeImage(blob, 4, 3);
    expect(px).toHaveLength(48);
    const R = px.subarray(0, 16);
    const B = px.subarray(32, 48);
    for (let y = 0; y < 4; y++) {
      expect(R[y * 4]).toBeGreaterThan(200);
      expect(B[y * 4]).toBeLessThan(50);
      expect(R[y * 4 + 3]).toBeLessThan(50);
      expect(B[y * 4 + 3]).toBeGreaterThan(200);
    }
    const grey = await decodeImage(blob, 4, 1);
    expect(grey).toHaveLength(16);
    expect(Math.abs(grey[0]! - 76)).toBeLessThan(8);
    expect(Math.abs(grey[3]! - 29)).toBeLessThan(8);
  });

  it('round-trips its own PNG encoding exactly and refuses a file that is not an image', async () => {
    const planes = Uint8Array.from({ length: 3 * 25 }, (_, i) => (i * 37) % 256);
    const back = await decodeImage(new Blob([(await encodePng(planes, 5, 3)) as Uint8Array<ArrayBuffer>]), 5, 3);
    expect(Array.from(back)).toEqual(Array.from(planes));
    await expect(decodeImage(new Blob(['not an image']), 8, 3)).rejects.toThrow(ImageDecodeError);
  });
});
