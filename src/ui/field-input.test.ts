import { describe, expect, it } from 'vitest';
import { LIMITS } from '../model';
import { numberFields, parseField } from './field-input';

const rule = (kind: Parameters<typeof numberFields>[0], field: string) => numberFields(kind).find((f) => f.field === field)!.rule;

describe('parseField', () => {
  const K = rule('conv2d', 'K');

  it('accepts whole numbers within the model limits', () => {
    expect(parseField(K, ' 32 ')).toEqual({ ok: true, value: 32 });
    expect(parseField(K, String(LIMITS.maxFilters))).toEqual({ ok: true, value: LIMITS.maxFilters });
  });

  it.each([
    ['', /Enter a value/],
    ['-1', /whole number from 1 to 4,096/],
    ['2.5', /whole number/],
    ['1e9', /whole number/],
    ['NaN', /"NaN" is not a number/],
    ['abc', /"abc" is not a number/],
    ['Infinity', /not a number/],
    ['0x10', /not a number/],
  ])('rejects %j with a message', (text, message) => {
    const r = parseField(K, text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it("takes 'same' and 'valid' for a conv's P, and FH×FW for its F", () => {
    expect(parseField(rule('conv2d', 'P'), 'same')).toEqual({ ok: true, value: 'same' });
    expect(parseField(rule('conv2d', 'P'), '0')).toEqual({ ok: true, value: 0 });
    expect(parseField(rule('max-pool', 'P'), 'same').ok).toBe(false);
    expect(parseField(rule('conv2d', 'F'), '3x5')).toEqual({ ok: true, value: [3, 5] });
    expect(parseField(rule('conv2d', 'F'), '3×3')).toEqual({ ok: true, value: 3 });
    expect(parseField(rule('conv2d', 'F'), '3×0').ok).toBe(false);
  });

  it('respects open ends of real ranges (dropout rate < 1, epsilon > 0)', () => {
    expect(parseField(rule('dropout', 'rate'), '0.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseField(rule('dropout', 'rate'), '1').ok).toBe(false);
    expect(parseField(rule('batch-norm', 'epsilon'), '0').ok).toBe(false);
    expect(parseField(rule('batch-norm', 'epsilon'), '1e-5')).toEqual({ ok: true, value: 1e-5 });
  });
});
