import { describe, expect, it } from 'vitest';
import { mnistPixels, MNIST_SIZE } from './mnist-pixels';
import { Ema } from './smooth';
import { diverging, rangeOf, sequential } from './colormap';

function centreOfMass(px: Uint8Array): [number, number] {
  let m = 0, cx = 0, cy = 0;
  for (let y = 0; y < MNIST_SIZE; y++) for (let x = 0; x < MNIST_SIZE; x++) {
    const v = px[y * MNIST_SIZE + x]!;
    m += v; cx += v * (x + 0.5); cy += v * (y + 0.5);
  }
  return [cx / m, cy / m];
}

describe('mnistPixels', () => {
  it('gives zeros for a blank pad', () => {
    expect(mnistPixels(new Float32Array(280 * 280), 280, 280).every((v) => v === 0)).toBe(true);
  });

  it('fits a stroke in the top-left corner into 20×20 and centres it by mass', () => {
    const W = 280;
    const ink = new Float32Array(W * W);
    // A vertical bar 20 px wide, 100 px tall, near the top-left corner.
    for (let y = 10; y < 110; y++) for (let x = 10; x < 30; x++) ink[y * W + x] = 1;
    const px = mnistPixels(ink, W, W);
    const [cx, cy] = centreOfMass(px);
    expect(Math.abs(cx - 14)).toBeLessThan(1);
    expect(Math.abs(cy - 14)).toBeLessThan(1);
    // 100 px tall becomes 20 rows of ink.
    let rows = 0;
    for (let y = 0; y < MNIST_SIZE; y++) if (px.subarray(y * MNIST_SIZE, (y + 1) * MNIST_SIZE).some((v) => v > 0)) rows++;
    expect(rows).toBe(20);
    expect(Math.max(...px)).toBe(255);
  });
});

describe('Ema', () => {
  it('starts at the first value and follows the trend', () => {
    const e = new Ema(0.9);
    expect(e.push(2)).toBeCloseTo(2);
    for (let i = 0; i < 100; i++) e.push(1);
    expect(e.value).toBeCloseTo(1, 3);
    expect(e.push(NaN)).toBeCloseTo(1, 3);
  });
});

describe('colormap', () => {
  it('ranges skip non-finite values', () => {
    expect(rangeOf([1, -2, NaN, 5])).toEqual({ min: -2, max: 5 });
    expect(rangeOf([])).toEqual({ min: 0, max: 0 });
  });
  it('maps ends and zero sensibly', () => {
    expect(diverging(0)).toEqual([255, 255, 255]);
    expect(diverging(1)[0]).toBe(255);
    expect(diverging(-1)[2]).toBe(255);
    expect(sequential(0)).not.toEqual(sequential(1));
  });
});
