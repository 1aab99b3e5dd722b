// Why: the oracle for a residual block, in float64, from its definition: y = relu?(body(x) + s(x)),
// s = identity or a 1×1 stride-S convolution (the projection). Backward by the chain rule: the sum
// hands g = dy·relu'(y) unchanged to both branches, and x, read by both, gets the sum of the two
// gradients: dx = body'ᵀ·g + s'ᵀ·g. The body is given as functions, so any reference layers compose.
import { conv2dGradInputRef, conv2dGradWeightRef, conv2dRef, type ConvRefShape } from './conv2d';

export interface BlockRef {
  /** body(x) and, given the gradient of its output, the gradient of x (and of its weights, by side effect). */
  body: { forward(x: Float64Array): Float64Array; backward(g: Float64Array): Float64Array };
  /** null: identity shortcut. */
  projection: { w: ArrayLike<number>; b?: ArrayLike<number>; shape: ConvRefShape } | null;
  relu: boolean;
}

export interface BlockRefResult {
  y: Float64Array;
  backward(dy: ArrayLike<number>): { dx: Float64Array; dProjection?: { dw: Float64Array; db: Float64Array } };
}

export function residualBlockRef(x: Float64Array, block: BlockRef): BlockRefResult {
  const bodyOut = block.body.forward(x);
  const p = block.projection;
  const shortcut = p ? conv2dRef(x, p.w, p.shape, p.b) : x;
  if (shortcut.length !== bodyOut.length) throw new Error(`residual reference: body gives ${bodyOut.length} values, the shortcut ${shortcut.length}`);
  const y = bodyOut.map((v, i) => v + shortcut[i]!);
  if (block.relu) y.forEach((v, i) => (y[i] = Math.max(0, v)));
  return {
    y,
    backward(dy) {
      const g = Float64Array.from(dy, (v, i) => (block.relu && y[i]! <= 0 ? 0 : v));
      const dx = block.body.backward(g);
      if (!p) {
        for (let i = 0; i < dx.length; i++) dx[i]! += g[i]!;
        return { dx };
      }
      const dxs = conv2dGradInputRef(g, p.w, p.shape);
      for (let i = 0; i < dx.length; i++) dx[i]! += dxs[i]!;
      return { dx, dProjection: conv2dGradWeightRef(x, g, p.shape) };
    },
  };
}
