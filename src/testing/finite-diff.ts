// Why: backward passes are proven against central finite differences of the forward maths, in float64.

/** dL/dx by central differences: (L(x + h·e_i) − L(x − h·e_i)) / 2h for every i. */
export function numericGrad(loss: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-5): Float64Array {
  const xs = Float64Array.from(x);
  const g = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    xs[i] = v + h;
    const up = loss(xs);
    xs[i] = v - h;
    const down = loss(xs);
    xs[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Σ a·b: turns a vector-valued forward into a scalar loss whose gradient is backward(dy = b). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
