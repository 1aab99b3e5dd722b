import { describe, expect, it } from 'vitest';
import { drawnToData, normalisePixels } from './dataset-input';

describe('images looked at, as the network was trained on them', () => {
  it('a 28×28 drawing becomes a C×H×W image: resized, the same in every channel', () => {
    const drawing = new Uint8Array(28 * 28);
    for (let y = 0; y < 28; y++) for (let x = 14; x < 28; x++) drawing[y * 28 + x] = 255; // right half white
    const img = drawnToData(drawing, { C: 3, H: 32, W: 32 });
    expect(img).toHaveLength(3 * 32 * 32);
    for (let c = 0; c < 3; c++) {
      expect(img[c * 1024 + 5 * 32 + 2]).toBe(0);
      expect(img[c * 1024 + 5 * 32 + 29]).toBe(255);
    }
    expect(drawnToData(drawing, { C: 1, H: 28, W: 28 })).toBe(drawing);
  });

  it('normalises each channel with its own mean and std', () => {
    const x = normalisePixels(Uint8Array.from([0, 255, 51, 102]), [0.5, 0.2], [0.5, 0.1]);
    expect(Array.from(x, (v) => Number(v.toFixed(5)))).toEqual([-1, 1, 0, 2]);
  });
});
