// Why: kernel tests compare GPU results with a float64 reference; when they differ, the message must
// say where and by how much (the worst element), not just "arrays differ".
import { expect } from 'vitest';

export interface CloseOptions {
  atol: number;
  rtol: number;
  label?: string;
}

/**
 * Tolerance for f32 sums of `len` products of values of size ~1: rounding error grows like √len·ε, so
 * atol = 1e-5·√len (len = 3136 → 5.6e-4), plus rtol 1e-5 for large outputs.
 */
export const sumTolerance = (len: number): CloseOptions => ({ atol: 1e-5 * Math.sqrt(len), rtol: 1e-5 });

export interface CloseReport {
  ok: boolean;
  worstIndex: number;
  worstActual: number;
  worstExpected: number;
  worstExcess: number;
  message: string;
}

/** |a − e| ≤ atol + rtol·|e| for every element; reports the element furthest beyond its tolerance. */
export function compareClose(actual: ArrayLike<number>, expected: ArrayLike<number>, { atol, rtol, label = 'values' }: CloseOptions): CloseReport {
  if (actual.length !== expected.length) {
    return { ok: false, worstIndex: -1, worstActual: NaN, worstExpected: NaN, worstExcess: Infinity, message: `${label}: length ${actual.length} ≠ expected ${expected.length}` };
  }
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const excess = Number.isNaN(a) !== Number.isNaN(e) ? Infinity : Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (excess > worstExcess || Number.isNaN(excess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  const ok = actual.length === 0 || worstExcess <= 0;
  const a = actual[worst];
  const e = expected[worst];
  return {
    ok,
    worstIndex: worst,
    worstActual: a ?? NaN,
    worstExpected: e ?? NaN,
    worstExcess,
    message: `${label}: worst element [${worst}] of ${actual.length}: got ${a}, expected ${e} (|diff| ${Math.abs((a ?? 0) - (e ?? 0)).toExponential(3)}, atol ${atol}, rtol ${rtol})`,
  };
}

/** Fails the test with the worst element's report when the arrays are not close. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, opts: CloseOptions): void {
  const r = compareClose(actual, expected, opts);
  expect(r.ok, r.message).toBe(true);
}
