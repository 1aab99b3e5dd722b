import { describe, expect, it } from 'vitest';
import { conv2dGradInputRef, conv2dRef, type ConvRefShape } from './conv2d';
import { residualBlockRef, type BlockRef } from './residual';
import { Prng } from '../util/prng';

// Central finite differences of L = Σ c·y through the block, in float64.
function check(block: BlockRef, x: Float64Array, tol = 1e-6) {
  const r = new Prng(4);
  const y0 = residualBlockRef(x, block).y;
  const c = Float64Array.from(r.floats(y0.length, -1, 1));
  const loss = (xx: Float64Array) => residualBlockRef(xx, block).y.reduce((s, v, i) => s + v * c[i]!, 0);
  const { dx } = residualBlockRef(x, block).backward(c);
  const eps = 1e-6;
  for (let i = 0; i < x.length; i++) {
    const up = Float64Array.from(x);
    up[i]! += eps;
    const down = Float64Array.from(x);
    down[i]! -= eps;
    expect(Math.abs((loss(up) - loss(down)) / (2 * eps) - dx[i]!)).toBeLessThan(tol);
  }
}

describe('residual block reference', () => {
  const r = new Prng(1);
  const s3: ConvRefShape = { N: 1, C: 2, H: 5, W: 5, K: 2, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
  const w3 = Float64Array.from(r.floats(2 * 2 * 9, -0.5, 0.5));
  const convBody = (s: ConvRefShape, w: Float64Array) => ({ forward: (x: Float64Array) => conv2dRef(x, w, s), backward: (g: Float64Array) => conv2dGradInputRef(g, w, s) });
  const x = Float64Array.from(r.floats(2 * 25, -1, 1));

  it('identity: y = body(x) + x, and dx = bodyᵀ·g + g (finite differences)', () => {
    const block: BlockRef = { body: convBody(s3, w3), projection: null, relu: false };
    const y = residualBlockRef(x, block).y;
    const body = conv2dRef(x, w3, s3);
    expect(Array.from(y)).toEqual(Array.from(body, (v, i) => v + x[i]!));
    check(block, x);
  });

  it('projection with stride 2 and a ReLU after the sum (finite differences)', () => {
    const sb: ConvRefShape = { ...s3, K: 3, S: 2 };
    const wb = Float64Array.from(r.floats(3 * 2 * 9, -0.5, 0.5));
    const sp: ConvRefShape = { ...s3, K: 3, FH: 1, FW: 1, S: 2, PH: 0, PW: 0 };
    const block: BlockRef = { body: convBody(sb, wb), projection: { w: Float64Array.from(r.floats(6, -0.5, 0.5)), b: [0.1, -0.2, 0.05], shape: sp }, relu: true };
    expect(residualBlockRef(x, block).y.length).toBe(3 * 9);
    check(block, x);
  });
});
