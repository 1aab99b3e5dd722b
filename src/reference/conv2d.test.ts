import { describe, expect, it } from 'vitest';
import { Prng } from '../util/prng';
import { expectClose } from '../testing/allclose';
import { dot, numericGrad } from '../testing/finite-diff';
import { conv2dGradInputRef, conv2dGradWeightRef, conv2dRef, convRefOutSize, type ConvRefShape } from './conv2d';

const base = { N: 1, C: 1, H: 4, W: 4, K: 1, FH: 3, FW: 3, S: 1, PH: 0, PW: 0, dilation: 1 };

describe('conv2d reference forward', () => {
  it('matches a hand-computed 3×3 valid convolution with bias', () => {
    const x = Array.from({ length: 16 }, (_, i) => i); // 0..15 row-major 4×4
    const w = [0, 0, 0, 0, 1, 0, 0, 0, 2]; // picks centre + 2·bottom-right
    const y = conv2dRef(x, w, base, [0.5]);
    // y[oh,ow] = x[oh+1, ow+1] + 2·x[oh+2, ow+2] + 0.5
    expect(Array.from(y)).toEqual([5 + 20 + 0.5, 6 + 22 + 0.5, 9 + 28 + 0.5, 10 + 30 + 0.5]);
  });

  it('zero padding, stride and dilation give the textbook output sizes', () => {
    expect(convRefOutSize({ ...base, H: 28, W: 28, PH: 1, PW: 1 })).toEqual({ OH: 28, OW: 28 });
    expect(convRefOutSize({ ...base, H: 7, W: 8, S: 2 })).toEqual({ OH: 3, OW: 3 });
    expect(convRefOutSize({ ...base, H: 7, W: 7, dilation: 2 })).toEqual({ OH: 3, OW: 3 });
  });

  it('a depthwise conv is each channel convolved with its own filter', () => {
    const s = { ...base, C: 2, K: 2, groups: 2 };
    const x = Array.from({ length: 32 }, (_, i) => i);
    const w = [...[0, 0, 0, 0, 1, 0, 0, 0, 0], ...[0, 0, 0, 0, 0, 0, 0, 0, 2]];
    const single = (c: number, wc: number[]) => Array.from(conv2dRef(x.slice(16 * c, 16 * c + 16), wc, base));
    expect(Array.from(conv2dRef(x, w, s))).toEqual([...single(0, w.slice(0, 9)), ...single(1, w.slice(9))]);
  });
});

// Tiny shapes covering padding, stride 2, dilation, FH ≠ FW, several channels and filters.
const shapes: (ConvRefShape & { label: string })[] = [
  { ...base, N: 2, C: 2, H: 5, W: 4, K: 3, FH: 3, FW: 2, PH: 1, PW: 1, label: 'pad, FH≠FW' },
  { ...base, N: 1, C: 2, H: 6, W: 7, K: 2, FH: 3, FW: 3, S: 2, PH: 1, PW: 0, label: 'stride 2' },
  { ...base, N: 2, C: 1, H: 6, W: 6, K: 2, FH: 2, FW: 2, dilation: 2, PH: 1, PW: 2, label: 'dilation 2' },
  { ...base, N: 2, C: 3, H: 5, W: 5, K: 3, FH: 3, FW: 3, PH: 1, PW: 1, groups: 3, label: 'depthwise' },
  { ...base, N: 1, C: 4, H: 6, W: 5, K: 6, FH: 3, FW: 2, S: 2, PH: 1, PW: 0, groups: 2, label: 'groups 2, K ≠ C, stride 2' },
];

describe('conv2d reference backward vs finite differences', () => {
  for (const s of shapes) {
    it(s.label, () => {
      const r = new Prng(s.H * 7 + s.W);
      const { OH, OW } = convRefOutSize(s);
      const x = r.floats(s.N * s.C * s.H * s.W);
      const w = r.floats((s.K * s.C * s.FH * s.FW) / (s.groups ?? 1));
      const b = r.floats(s.K);
      const dy = r.floats(s.N * s.K * OH * OW);
      // L = Σ dy·y: its gradient w.r.t. each input is the backward pass given dy. Linear in each, so central
      // differences are exact up to rounding.
      const tol = { atol: 1e-8, rtol: 1e-7 };
      expectClose(conv2dGradInputRef(dy, w, s), numericGrad((xs) => dot(conv2dRef(xs, w, s, b), dy), x), { ...tol, label: 'dx' });
      const g = conv2dGradWeightRef(x, dy, s);
      expectClose(g.dw, numericGrad((ws) => dot(conv2dRef(x, ws, s, b), dy), w), { ...tol, label: 'dw' });
      expectClose(g.db, numericGrad((bs) => dot(conv2dRef(x, w, s, bs), dy), b), { ...tol, label: 'db' });
    });
  }
});
