// Why: the arithmetic strings the UI shows must read like the lecture notes, "(28 − 3 + 2·1)/1 + 1 = 28",
// and be identical wherever they appear (layer rows, error messages, suggestions). One formatter.

/** Integers with comma grouping (31,370); non-integers to at most 2 decimals (2.33, 3.5), or 3
 *  significant digits below 1 (0.001, 0.333). */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) {
    const s = Math.abs(n).toString();
    const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return n < 0 ? `−${grouped}` : grouped;
  }
  const r = Math.abs(n) < 1 ? Number(n.toPrecision(3)) : Number(n.toFixed(2));
  return r < 0 ? `−${Math.abs(r)}` : String(r);
}

/** (W − F + 2P)/S + 1, the CS231n output size; may be fractional (then it doesn't fit). */
export function windowOut(W: number, F: number, S: number, P: number): number {
  return (W - F + 2 * P) / S + 1;
}

/** "(7 − 3 + 2·1)/3 + 1" (the padding term is left out when P = 0). */
export function windowExpr(W: number, F: number, S: number, P: number): string {
  const pad = P === 0 ? '' : ` + 2·${fmt(P)}`;
  return `(${fmt(W)} − ${fmt(F)}${pad})/${fmt(S)} + 1`;
}

/** "(7 − 3 + 2·1)/3 + 1 = 3". */
export function windowEquation(W: number, F: number, S: number, P: number): string {
  return `${windowExpr(W, F, S, P)} = ${fmt(windowOut(W, F, S, P))}`;
}

/** Effective extent of a dilated filter: (F − 1)·d + 1. */
export function dilated(F: number, d: number): number {
  return (F - 1) * d + 1;
}

/** "64×7×7" or "3,136". */
export function shapeText(shape: readonly number[]): string {
  return shape.map(fmt).join('×');
}

/** "64·7·7" (a product written out). */
export function productText(factors: readonly number[]): string {
  return factors.map(fmt).join('·');
}
