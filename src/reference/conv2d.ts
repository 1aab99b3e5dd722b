// Why: the oracle for the convolution kernels, written from the definition in float64:
// y[n,k,oh,ow] = b[k] + Σ_{c,fh,fw} w[k,c,fh,fw] · x[n, c, oh·S − PH + fh·D, ow·S − PW + fw·D] (zero
// outside x), and its gradients by the chain rule (each product's share routed back to x, w and b).
// Grouped (groups G): filter k sees only channels g·C/G … (g + 1)·C/G − 1 of its group g = k/(K/G),
// and w is [K, C/G, FH, FW] (G = C: depthwise).

export interface ConvRefShape {
  N: number;
  C: number;
  H: number;
  W: number;
  K: number;
  FH: number;
  FW: number;
  S: number;
  PH: number;
  PW: number;
  dilation: number;
  /** Default 1 (every filter sees every channel). */
  groups?: number;
}

export function convRefOutSize(s: ConvRefShape): { OH: number; OW: number } {
  return {
    OH: Math.floor((s.H + 2 * s.PH - s.dilation * (s.FH - 1) - 1) / s.S) + 1,
    OW: Math.floor((s.W + 2 * s.PW - s.dilation * (s.FW - 1) - 1) / s.S) + 1,
  };
}

/** Calls f(xIndex, wIndex, yIndex, k) for every product x·w that lands inside x (padding contributes 0). */
function forEachTap(s: ConvRefShape, f: (xi: number, wi: number, yi: number, k: number) => void): void {
  const { OH, OW } = convRefOutSize(s);
  const D = s.dilation;
  const G = s.groups ?? 1;
  const Cg = s.C / G;
  const Kg = s.K / G;
  for (let n = 0; n < s.N; n++)
    for (let k = 0; k < s.K; k++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const yi = ((n * s.K + k) * OH + oh) * OW + ow;
          for (let cc = 0; cc < Cg; cc++)
            for (let fh = 0; fh < s.FH; fh++) {
              const c = Math.floor(k / Kg) * Cg + cc;
              const ih = oh * s.S - s.PH + fh * D;
              if (ih < 0 || ih >= s.H) continue;
              for (let fw = 0; fw < s.FW; fw++) {
                const iw = ow * s.S - s.PW + fw * D;
                if (iw < 0 || iw >= s.W) continue;
                f(((n * s.C + c) * s.H + ih) * s.W + iw, ((k * Cg + cc) * s.FH + fh) * s.FW + fw, yi, k);
              }
            }
        }
}

export function conv2dRef(x: ArrayLike<number>, w: ArrayLike<number>, s: ConvRefShape, b?: ArrayLike<number>, relu = false): Float64Array {
  const { OH, OW } = convRefOutSize(s);
  const y = new Float64Array(s.N * s.K * OH * OW);
  if (b) for (let i = 0; i < y.length; i++) y[i] = b[Math.floor(i / (OH * OW)) % s.K]!;
  forEachTap(s, (xi, wi, yi) => (y[yi] = y[yi]! + x[xi]! * w[wi]!));
  if (relu) for (let i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]!);
  return y;
}

/** ∂L/∂x given dy = ∂L/∂y (no activation). */
export function conv2dGradInputRef(dy: ArrayLike<number>, w: ArrayLike<number>, s: ConvRefShape): Float64Array {
  const dx = new Float64Array(s.N * s.C * s.H * s.W);
  forEachTap(s, (xi, wi, yi) => (dx[xi] = dx[xi]! + dy[yi]! * w[wi]!));
  return dx;
}

/** ∂L/∂w and ∂L/∂b given dy = ∂L/∂y (no activation). */
export function conv2dGradWeightRef(x: ArrayLike<number>, dy: ArrayLike<number>, s: ConvRefShape): { dw: Float64Array; db: Float64Array } {
  const { OH, OW } = convRefOutSize(s);
  const dw = new Float64Array((s.K * s.C * s.FH * s.FW) / (s.groups ?? 1));
  const db = new Float64Array(s.K);
  forEachTap(s, (xi, wi, yi) => (dw[wi] = dw[wi]! + dy[yi]! * x[xi]!));
  for (let i = 0; i < s.N * s.K * OH * OW; i++) {
    const k = Math.floor(i / (OH * OW)) % s.K;
    db[k] = db[k]! + dy[i]!;
  }
  return { dw, db };
}
