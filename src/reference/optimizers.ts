// Why: the oracle for the optimizer kernels: one step of SGD (momentum, Nesterov, L2 weight decay),
// Adam (bias-corrected, L2 weight decay) and AdamW (decoupled weight decay), in float64, written from
// the PyTorch update rules (torch.optim.SGD / Adam / AdamW, dampening 0, amsgrad off, maximize off).

export interface SgdRefConfig {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * One SGD step in place: g = grad + wd·p; v = μ·v + g; p −= lr·(nesterov ? g + μ·v : v).
 * With μ = 0 the velocity is left alone and p −= lr·g. PyTorch sets v = g on the first step, which is
 * μ·v + g for v starting at zero.
 */
export function sgdStepRef(p: Float64Array, grad: ArrayLike<number>, velocity: Float64Array, cfg: SgdRefConfig): void {
  const { lr, momentum: mu, nesterov, weightDecay: wd } = cfg;
  for (let i = 0; i < p.length; i++) {
    let g = grad[i]! + wd * p[i]!;
    if (mu !== 0) {
      const v = mu * velocity[i]! + g;
      velocity[i] = v;
      g = nesterov ? g + mu * v : v;
    }
    p[i] = p[i]! - lr * g;
  }
}

export interface AdamRefConfig {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** false: Adam (weight decay added to the gradient, L2); true: AdamW (p −= lr·wd·p, decoupled). */
  decoupled: boolean;
}

/**
 * One Adam/AdamW step in place; `step` is t, counted from 1.
 * AdamW: p ← p·(1 − lr·wd). Adam: g ← grad + wd·p. Then m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g²,
 * p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
 */
export function adamStepRef(p: Float64Array, grad: ArrayLike<number>, m: Float64Array, v: Float64Array, cfg: AdamRefConfig, step: number): void {
  const { lr, beta1, beta2, epsilon, weightDecay: wd, decoupled } = cfg;
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  for (let i = 0; i < p.length; i++) {
    let g = grad[i]!;
    if (decoupled) p[i] = p[i]! * (1 - lr * wd);
    else g += wd * p[i]!;
    m[i] = beta1 * m[i]! + (1 - beta1) * g;
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    p[i] = p[i]! - (lr / bc1) * (m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + epsilon));
  }
}
