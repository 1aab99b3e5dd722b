// Why: the explanation panels show many small numbers; they must be short, aligned and honest about
// their sign (a true minus sign), and the same in every panel.

/** 0.731, −1.25, 0.00042, 12.5: three significant digits, at most 3 decimals above 0.01. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 100 ? a.toFixed(1) : a >= 0.01 ? a.toPrecision(3) : a.toExponential(1);
  return v < 0 ? `−${s}` : s;
}

/** A sum written out: "0.12 + (−0.3) + 0.05". */
export function sumText(terms: readonly number[]): string {
  return terms.map((t) => (t < 0 ? `(${num(t)})` : num(t))).join(' + ');
}

/** "(5, 9)": a position as row, column (zero-based, as the maps are indexed). */
export function rc(y: number, x: number): string {
  return `(${y}, ${x})`;
}
