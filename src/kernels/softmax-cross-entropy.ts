// Why: the loss that closes every network. Forward and backward are fused (the gradient of softmax
// cross-entropy is p − onehot), and the batch's loss sum and correct count are reduced on the GPU into a
// small stats buffer the engine reads back asynchronously every few steps, never per step.
import source from '../../shaders/softmax-cross-entropy.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type PreparedPipeline } from '../gpu';
import { bindWithPlaceholders } from './owned-kernel';

const params = { N: 'u32', classes: 'u32', gradScale: 'f32', slot: 'u32', accumulate: 'u32' } as const;

export const softmaxCrossEntropySpec = defineKernel({
  name: 'softmax-cross-entropy',
  source,
  params,
  bindings: [
    { name: 'logits', access: 'read' },
    { name: 'labels', access: 'read' },
    { name: 'dlogits', access: 'read_write' },
    { name: 'probs', access: 'read_write' },
    { name: 'rowLoss', access: 'read_write' },
    { name: 'stats', access: 'read_write' },
  ],
  overrides: { WG: 256, WRITE_DLOGITS: 1, WRITE_PROBS: 0, WRITE_ROW_LOSS: 0 },
  workgroupSize: (o) => [o.WG, 1, 1],
  // Three WG-long arrays (loss f32, correct u32, nonFinite u32) for the tree reduction.
  workgroupBytes: (o) => 3 * 4 * o.WG,
});

/** One stats slot: lossSum f32, correct u32, rows u32, nonFinite u32 (the WGSL `Stats` struct). */
export const STATS_SLOT_BYTES = 16;

export interface LossStats {
  /** Σ of the per-row losses (mean loss = lossSum / rows); NaN/Inf once any row was non-finite. */
  lossSum: number;
  /** Rows whose argmax (ties → lowest index) equals the label. */
  correct: number;
  /** Rows counted (N per dispatch, summed when accumulating). */
  rows: number;
  /** Rows whose loss was not finite (non-finite logit or label ≥ classes). */
  nonFinite: number;
}

/** Decodes `slots` stats slots from a readback of the stats buffer (from its start). */
export function decodeStats(data: ArrayBuffer, slots = 1): LossStats[] {
  const f = new Float32Array(data);
  const u = new Uint32Array(data);
  const out: LossStats[] = [];
  for (let s = 0; s < slots; s++) {
    const o = s * (STATS_SLOT_BYTES / 4);
    out.push({ lossSum: f[o]!, correct: u[o + 1]!, rows: u[o + 2]!, nonFinite: u[o + 3]! });
  }
  return out;
}

export interface SoftmaxCrossEntropyArgs {
  /** f32 [N, classes]. */
  logits: GPUBuffer;
  /** u32 [N], each < classes (a u8 dataset's labels are widened to u32 by batch-gather). */
  labels: GPUBuffer;
  /** Stats slots (STATS_SLOT_BYTES each); slot `slot` is written. */
  stats: GPUBuffer;
  /** f32 [N, classes] gradient output; omit for evaluation (forward only). */
  dlogits?: GPUBuffer;
  /** f32 [N, classes] softmax probabilities, written only when given. */
  probs?: GPUBuffer;
  /** f32 [N] per-row loss, written only when given (evaluation, hardest examples). */
  rowLoss?: GPUBuffer;
  N: number;
  classes: number;
  /** dlogits = (p − onehot)·gradScale; default 1/N (gradient of the mean loss). */
  gradScale?: number;
  /**
   * Stats slot written by this dispatch (default 0). With `accumulate` false the slot is overwritten;
   * true adds to it, so the engine can sum several steps into one slot (clear it first) or give each
   * step its own slot of a ring, and read back once. Change per step with `setParams(softmaxCrossEntropyParams(…))`.
   */
  slot?: number;
  accumulate?: boolean;
}

/** The Params values for given arguments (for BoundKernel.setParams when slot/accumulate change per step). */
export function softmaxCrossEntropyParams(a: Pick<SoftmaxCrossEntropyArgs, 'N' | 'classes' | 'gradScale' | 'slot' | 'accumulate'>): {
  N: number; classes: number; gradScale: number; slot: number; accumulate: number;
} {
  return { N: a.N, classes: a.classes, gradScale: a.gradScale ?? 1 / a.N, slot: a.slot ?? 0, accumulate: a.accumulate ? 1 : 0 };
}

/** Fused softmax + cross-entropy (+ gradient) over a batch, reducing loss and accuracy into `stats`. */
export async function softmaxCrossEntropy(gpu: Gpu, a: SoftmaxCrossEntropyArgs): Promise<BoundKernel<typeof params>> {
  if (!Number.isInteger(a.N) || a.N < 1) throw new Error(`softmax-cross-entropy: N must be a positive integer, got ${a.N}`);
  if (!Number.isInteger(a.classes) || a.classes < 1) throw new Error(`softmax-cross-entropy: classes must be a positive integer, got ${a.classes}`);
  const slot = a.slot ?? 0;
  if (a.stats.size < (slot + 1) * STATS_SLOT_BYTES) {
    throw new Error(`softmax-cross-entropy: stats buffer of ${a.stats.size} bytes has no slot ${slot} (${STATS_SLOT_BYTES} bytes per slot)`);
  }
  const p = (await gpu.prepare(softmaxCrossEntropySpec, {
    WRITE_DLOGITS: a.dlogits ? 1 : 0,
    WRITE_PROBS: a.probs ? 1 : 0,
    WRITE_ROW_LOSS: a.rowLoss ? 1 : 0,
  })) as PreparedPipeline & { spec: typeof softmaxCrossEntropySpec };
  return bindWithPlaceholders(gpu, p, softmaxCrossEntropyParams(a), [a.logits, a.labels, a.dlogits, a.probs, a.rowLoss, a.stats], [1, 1, 1]);
}
