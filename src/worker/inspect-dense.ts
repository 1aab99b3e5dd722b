// Why: a dense unit sums hundreds of products, too many to list: the explanation keeps the largest
// contributions w·x (by size) and the rest as one number, so the total still adds up. For the output
// layer it also walks from logits to probabilities and the loss, the lecture's softmax in numbers.
import type { DenseContribution, SoftmaxExplanation } from './cell-protocol';
import { unflatten } from './cell-position';

/** How many contributions are listed one by one. */
export const TOP_CONTRIBUTIONS = 12;

export function explainDense(input: Float32Array, weights: Float32Array, bias: number, inShape: readonly number[]) {
  const n = input.length;
  const products = new Float64Array(n);
  let sumProducts = 0;
  for (let i = 0; i < n; i++) {
    products[i] = input[i]! * weights[i]!;
    sumProducts += products[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(products[b]!) - Math.abs(products[a]!) || a - b);
  const top: DenseContribution[] = order.slice(0, TOP_CONTRIBUTIONS).map((i) => ({
    i,
    ...(inShape.length === 3 && { where: unflatten(inShape, i) }),
    w: weights[i]!,
    x: input[i]!,
    product: products[i]!,
  }));
  const restSum = sumProducts - top.reduce((a, t) => a + t.product, 0);
  return { inFeatures: n, top, sumProducts, restSum, bias, total: sumProducts + bias };
}

/** logits → exp(logit − max) → Σ → probabilities → −log p(label), from the engine's logits. */
export function softmaxOf(logits: Float32Array, engineProbabilities: Float32Array, label?: number): SoftmaxExplanation {
  const maxLogit = Math.max(...logits);
  const exps = Float64Array.from(logits, (z) => Math.exp(z - maxLogit));
  const sumExp = exps.reduce((a, b) => a + b, 0);
  const probabilities = exps.map((e) => e / sumExp);
  const ok = label !== undefined && label >= 0 && label < logits.length;
  return {
    logits,
    exps,
    maxLogit,
    sumExp,
    probabilities,
    engineProbabilities,
    ...(ok && { label, loss: -Math.log(probabilities[label]!) }),
  };
}
