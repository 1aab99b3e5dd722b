import { describe, expect, it } from 'vitest';
import { dropoutGradRef, dropoutKey, dropoutMaskRef, dropoutRef, pcgHash } from './dropout';

describe('dropout reference', () => {
  it('pcg hash matches values computed independently (Python, arbitrary-precision ints masked to 32 bits)', () => {
    expect([0, 1, 2, 12345, 0xffffffff].map(pcgHash)).toEqual([129708002, 2831084092, 2055130248, 4099845390, 3861530882]);
    const k = dropoutKey(42, 7);
    expect(k).toBe(1940953008);
    expect([0, 1, 2, 3].map((i) => pcgHash((pcgHash(i) ^ k) >>> 0))).toEqual([2607356036, 2051050321, 2726866729, 4030223578]);
  });

  it('keeps ≈ 1 − rate of the elements, scales them by 1/(1 − rate), zeroes the rest', () => {
    const n = 200_000;
    const rate = 0.3;
    const mask = dropoutMaskRef(n, rate, 1, 0);
    const kept = mask.reduce((a, b) => a + b, 0) / n;
    const sigma = Math.sqrt((rate * (1 - rate)) / n);
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(6 * sigma);
    const y = dropoutRef([2, 2, 2, 2, 2, 2, 2, 2], 0.5, 3, 4);
    for (const v of y) expect([0, 4]).toContain(v);
    expect(dropoutGradRef([2, 2, 2, 2, 2, 2, 2, 2], 0.5, 3, 4)).toEqual(y);
  });

  it('same (seed, step) gives the same mask; another step or seed gives an independent one', () => {
    const n = 100_000;
    const a = dropoutMaskRef(n, 0.5, 9, 10);
    expect(dropoutMaskRef(n, 0.5, 9, 10)).toEqual(a);
    for (const b of [dropoutMaskRef(n, 0.5, 9, 11), dropoutMaskRef(n, 0.5, 10, 10)]) {
      let both = 0;
      for (let i = 0; i < n; i++) both += a[i]! & b[i]!;
      // Independent masks agree on "kept" for ≈ 1/4 of the elements; σ = sqrt(p(1 − p)/n) with p = 1/4.
      expect(Math.abs(both / n - 0.25)).toBeLessThan(6 * Math.sqrt((0.25 * 0.75) / n));
    }
  });

  it('rate 0 keeps everything unchanged', () => {
    expect(dropoutRef([1, -2, 3], 0, 5, 6)).toEqual(Float64Array.from([1, -2, 3]));
  });
});
