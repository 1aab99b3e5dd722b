// Why: the oracle for the activation kernels, written from the definitions in float64.

export type RefActivation = 'relu' | 'leaky-relu' | 'sigmoid' | 'tanh';

export function activationRef(kind: RefActivation, x: ArrayLike<number>, alpha = 0.01): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    switch (kind) {
      case 'relu': y[i] = v > 0 ? v : 0; break;
      case 'leaky-relu': y[i] = v > 0 ? v : alpha * v; break;
      case 'sigmoid': y[i] = 1 / (1 + Math.exp(-v)); break;
      case 'tanh': y[i] = Math.tanh(v); break;
      default: throw new Error(`unknown activation ${kind satisfies never}`);
    }
  }
  return y;
}

/** dL/dx given dL/dy, from the derivative of the definition (evaluated at x). */
export function activationGradRef(kind: RefActivation, x: ArrayLike<number>, dy: ArrayLike<number>, alpha = 0.01): Float64Array {
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    let d: number;
    switch (kind) {
      case 'relu': d = v > 0 ? 1 : 0; break;
      case 'leaky-relu': d = v > 0 ? 1 : alpha; break;
      case 'sigmoid': { const s = 1 / (1 + Math.exp(-v)); d = s * (1 - s); break; }
      case 'tanh': d = 1 - Math.tanh(v) ** 2; break;
      default: throw new Error(`unknown activation ${kind satisfies never}`);
    }
    dx[i] = dy[i]! * d;
  }
  return dx;
}
