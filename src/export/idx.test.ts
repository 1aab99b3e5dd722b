import { describe, expect, it } from 'vitest';
import { ownDatasetFiles, toIdx } from './idx';

describe('IDX files of the user\'s dataset', () => {
  it('writes the magic number, big-endian dimensions and the bytes (rank 1, 3 and 4)', () => {
    expect(Array.from(toIdx([3], Uint8Array.of(7, 8, 9)))).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
    const data = Uint8Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const rank4 = toIdx([2, 3, 2, 2], data);
    expect(Array.from(rank4.subarray(0, 20))).toEqual([0, 0, 8, 4, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect(rank4.subarray(20)).toEqual(data);
    const big = toIdx([1, 300, 1], new Uint8Array(300));
    expect(Array.from(big.subarray(8, 12))).toEqual([0, 0, 1, 44]);
  });

  it('refuses data that does not fill the shape', () => {
    expect(() => toIdx([2, 2], new Uint8Array(3))).toThrow('IDX: 3 bytes do not fill the shape [2, 2]');
    expect(() => toIdx([], new Uint8Array(0))).toThrow('rank 0');
  });

  it('names both splits, rank 4 in colour and rank 3 when grey, with the class names', () => {
    const split = (count: number, channels: number) => ({ count, channels, rows: 2, cols: 2, images: new Uint8Array(count * channels * 4).fill(5), labels: new Uint8Array(count).fill(1) });
    const colour = ownDatasetFiles(split(3, 3), split(2, 3), ['cat', 'dog']);
    expect(colour.map((f) => f.name)).toEqual([
      'data/own/train-images-idx4-ubyte', 'data/own/train-labels-idx1-ubyte',
      'data/own/test-images-idx4-ubyte', 'data/own/test-labels-idx1-ubyte', 'data/own/classes.json',
    ]);
    const trainImages = colour[0]!.data as Uint8Array;
    expect(Array.from(trainImages.subarray(0, 20))).toEqual([0, 0, 8, 4, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect(trainImages.length).toBe(20 + 36);
    expect(Array.from(colour[3]!.data as Uint8Array)).toEqual([0, 0, 8, 1, 0, 0, 0, 2, 1, 1]);
    expect(colour[4]!.data).toBe('["cat","dog"]\n');
    const grey = ownDatasetFiles(split(3, 1), split(2, 1), ['a', 'b']);
    expect(grey[0]!.name).toBe('data/own/train-images-idx3-ubyte');
    expect(Array.from((grey[2]!.data as Uint8Array).subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]);
  });
});
