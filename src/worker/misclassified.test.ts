import { describe, expect, it } from 'vitest';
import { findMisclassified } from './misclassified';

// Five 2×1×1 colour "images" whose bytes name them: image i is [10·i, 10·i + 1].
const test = { count: 5, rows: 1, cols: 1, channels: 2, classes: 3, labels: Uint8Array.from([0, 1, 1, 2, 1]), images: Uint8Array.from([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]) };

describe('findMisclassified', () => {
  it('finds every test image of the true class put in the predicted class, and sends the first few', () => {
    const r = findMisclassified(test, Uint8Array.from([0, 2, 1, 2, 2]), 1, 2, 1);
    expect(r.indices).toEqual([1, 4]);
    expect([...r.images]).toEqual([10, 11]);
    expect([r.rows, r.cols, r.channels]).toEqual([1, 1, 2]);
  });
  it('searches only the images that were evaluated, and refuses predictions for a larger test set', () => {
    expect(findMisclassified(test, Uint8Array.from([0, 2]), 1, 2, 10).indices).toEqual([1]);
    expect(() => findMisclassified(test, new Uint8Array(6), 0, 0, 1)).toThrow(/6 predictions for 5 test images/);
  });
});
