import { describe, expect, it } from 'vitest';
import { channelStats, stratifiedSplit } from './dataset-split';

describe('stratified seeded split', () => {
  const labels = [...Array(50).fill(0), ...Array(10).fill(1), ...Array(3).fill(2), ...Array(2).fill(3)];

  it('keeps each class\'s share in the test split, at least one image on each side', () => {
    const s = stratifiedSplit(labels, 4, 0.2, 7);
    expect(s.testPerClass).toEqual([10, 2, 1, 1]);
    expect(s.trainPerClass).toEqual([40, 8, 2, 1]);
    expect(s.train.length + s.test.length).toBe(labels.length);
    expect(new Set([...s.train, ...s.test]).size).toBe(labels.length);
    for (let c = 0; c < 4; c++) expect(s.test.filter((i) => labels[i] === c)).toHaveLength(s.testPerClass[c]!);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedSplit(labels, 4, 0.2, 7)).toEqual(stratifiedSplit(labels, 4, 0.2, 7));
    expect(stratifiedSplit(labels, 4, 0.2, 8).test).not.toEqual(stratifiedSplit(labels, 4, 0.2, 7).test);
  });

  it('mixes classes in the test order (the first images shown are not all one class)', () => {
    const s = stratifiedSplit(labels, 4, 0.5, 1);
    expect(new Set(s.test.slice(0, 8).map((i) => labels[i])).size).toBeGreaterThan(1);
  });

  it('refuses a class of one image and a share outside (0, 1)', () => {
    expect(() => stratifiedSplit([0, 0, 1], 2, 0.2, 1)).toThrow(/1 image; each needs at least 2/);
    expect(() => stratifiedSplit([0, 0, 1, 1], 2, 1, 1)).toThrow(/between 0 and 1/);
    expect(() => stratifiedSplit([0, 5], 2, 0.5, 1)).toThrow(/label 5/);
  });
});

describe('per-channel normalisation statistics', () => {
  it('matches a float64 computation over two 2-channel images', () => {
    // image 0: channel 0 = [0, 255], channel 1 = [51, 51]; image 1: channel 0 = [255, 255], channel 1 = [102, 0]
    const images = Uint8Array.from([0, 255, 51, 51, 255, 255, 102, 0]);
    const { mean, std } = channelStats(images, 2, 2, 2);
    expect(mean[0]).toBeCloseTo(0.75, 12);
    expect(std[0]).toBeCloseTo(Math.sqrt(0.75 - 0.75 ** 2), 12);
    const v1 = [0.2, 0.2, 0.4, 0];
    const m1 = v1.reduce((a, b) => a + b) / 4;
    expect(mean[1]).toBeCloseTo(m1, 12);
    expect(std[1]).toBeCloseTo(Math.sqrt(v1.reduce((a, b) => a + (b - m1) ** 2, 0) / 4), 12);
  });

  it('gives a constant channel std 1, never 0', () => {
    expect(channelStats(new Uint8Array(8).fill(128), 2, 1, 4).std).toEqual([1]);
  });
});
