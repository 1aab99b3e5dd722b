import { describe, expect, it } from 'vitest';
import { dilated, fmt, windowEquation } from './format';

describe('format', () => {
  it('groups thousands and rounds fractions', () => {
    expect(fmt(320)).toBe('320');
    expect(fmt(31_467_520)).toBe('31,467,520');
    expect(fmt(7 / 3)).toBe('2.33');
    expect(fmt(3.5)).toBe('3.5');
    expect(fmt(0.001)).toBe('0.001');
    expect(fmt(-1)).toBe('−1');
  });
  it('writes the CS231n equation with Unicode minus and middle dot', () => {
    expect(windowEquation(28, 3, 1, 1)).toBe('(28 − 3 + 2·1)/1 + 1 = 28');
    expect(windowEquation(7, 3, 3, 0)).toBe('(7 − 3)/3 + 1 = 2.33');
    expect(dilated(3, 2)).toBe(5);
  });
});
