// Why: a design too big for the GPU must be refused before anything is allocated, with the layer and
// the numbers, not crash the device halfway through planning.
import type { GpuLimits } from '../gpu';
import { assignNodeGrads } from './grad-buffers';
import type { Node } from './nodes';
import { innerSize, PlanError } from './nodes';

/** Beyond this a browser tab risks being killed, whatever the adapter claims. */
export const MEMORY_BUDGET_BYTES = 2 * 1024 ** 3;

export function formatBytes(b: number): string {
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(2)} GiB`;
  if (b >= 1024 ** 2) return `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return `${(b / 1024).toFixed(1)} KiB`;
}

export interface MemoryEstimate {
  /** Bytes of the biggest single buffer, and which layer it belongs to. */
  largest: { layerId: string; bytes: number };
  total: number;
}

/** What a plan of batch N will allocate: each node's output (and argmax), gradients, parameters. */
export function estimatePlanMemory(nodes: readonly Node[], N: number, inputSize: number, paramFloats: number, train: boolean): MemoryEstimate {
  let largest = { layerId: 'input', bytes: N * inputSize * 4 };
  let total = largest.bytes;
  let maxActivation = largest.bytes;
  for (const node of nodes) {
    if (node.op === 'flatten' || (node.op === 'dropout' && !train)) continue;
    const bytes = N * node.outSize * 4;
    const argmax = node.op === 'max-pool' || (node.op === 'conv2d' && node.pool);
    total += bytes * (argmax ? 2 : 1);
    // A conv with a fused pool needs its unpooled size as a gradient buffer in training.
    const biggest = Math.max(bytes, train ? N * innerSize(node) * 4 : 0);
    maxActivation = Math.max(maxActivation, biggest);
    if (biggest > largest.bytes) largest = { layerId: node.layerId, bytes: biggest };
  }
  // Gradient buffers (two along a chain, more across residual blocks) and a scratch, each as large as
  // the largest activation; parameters, gradients, optimizer moments and their checkpoint copies.
  if (train) total += (assignNodeGrads(nodes).count + 1) * maxActivation;
  total += paramFloats * 4 * 7;
  return { largest, total };
}

/** Throws a PlanError naming the layer when one buffer or the whole plan will not fit. */
export function checkPlanFits(estimate: MemoryEstimate, N: number, limits: GpuLimits, budget = MEMORY_BUDGET_BYTES): void {
  const maxBuffer = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const { largest, total } = estimate;
  if (largest.bytes > maxBuffer) {
    throw new PlanError(
      `layer ${largest.layerId}: its output for a batch of ${N} needs ${formatBytes(largest.bytes)} in one buffer, more than this GPU allows (${formatBytes(maxBuffer)}, maxStorageBufferBindingSize). Use a smaller batch or fewer filters.`,
    );
  }
  if (total > budget) {
    throw new PlanError(
      `the network needs about ${formatBytes(total)} of GPU memory at batch ${N} (largest: layer ${largest.layerId}, ${formatBytes(largest.bytes)}), more than the ${formatBytes(budget)} convplay allows itself. Use a smaller batch or a smaller design.`,
    );
  }
}
