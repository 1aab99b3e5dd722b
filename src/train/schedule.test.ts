import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule';

describe('learning-rate schedules', () => {
  it('constant', () => {
    expect(learningRateAt(0, 100, 0.1, { kind: 'constant' })).toBe(0.1);
    expect(learningRateAt(99, 100, 0.1, { kind: 'constant' })).toBe(0.1);
  });
  it('linear warm-up then constant', () => {
    const s = { kind: 'constant', warmupSteps: 10 } as const;
    expect(learningRateAt(0, 100, 1, s)).toBeCloseTo(0.1);
    expect(learningRateAt(4, 100, 1, s)).toBeCloseTo(0.5);
    expect(learningRateAt(10, 100, 1, s)).toBe(1);
  });
  it('step decay multiplies by gamma every stepSize steps', () => {
    const s = { kind: 'step', stepSize: 10, gamma: 0.5 } as const;
    expect(learningRateAt(9, 100, 1, s)).toBe(1);
    expect(learningRateAt(10, 100, 1, s)).toBe(0.5);
    expect(learningRateAt(25, 100, 1, s)).toBe(0.25);
  });
  it('cosine goes from lr to minLr over the run, after warm-up', () => {
    const s = { kind: 'cosine', warmupSteps: 10, minLr: 0.01 } as const;
    expect(learningRateAt(10, 110, 1, s)).toBeCloseTo(1);
    expect(learningRateAt(60, 110, 1, s)).toBeCloseTo(0.505);
    expect(learningRateAt(110, 110, 1, s)).toBeCloseTo(0.01);
  });
});
