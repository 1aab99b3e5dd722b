// Why: evaluation's per-class picture (which digits are confused with which) is counted on the GPU with
// atomics, batch after batch, and read back once at the end: a few hundred bytes instead of all logits.
import source from '../../shaders/confusion-matrix.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu, type PreparedPipeline } from '../gpu';

const params = { N: 'u32', classes: 'u32' } as const;
const overrides = { WG: 256 };

export const confusionMatrixSpec = defineKernel({
  name: 'confusion-matrix',
  source,
  params,
  bindings: [
    { name: 'logits', access: 'read' },
    { name: 'labels', access: 'read' },
    { name: 'matrix', access: 'read_write' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface ConfusionMatrixArgs {
  /** f32 [N, classes]. */
  logits: BufferBinding;
  /** u32 [N]; rows with a label ≥ classes are skipped. */
  labels: BufferBinding;
  /** u32 [classes, classes], row = true label, column = predicted; ADDED to (clear it to start). */
  matrix: BufferBinding;
  N: number;
  classes: number;
}

/** matrix[label, argmax(logits)] += 1 per row (ties → lowest index; the trace counts correct rows). */
export async function confusionMatrix(gpu: Gpu, a: ConfusionMatrixArgs): Promise<BoundKernel<typeof params>> {
  if (!Number.isInteger(a.classes) || a.classes < 1) throw new Error(`confusion-matrix: classes must be a positive integer, got ${a.classes}`);
  const p = (await gpu.prepare(confusionMatrixSpec)) as PreparedPipeline & { spec: typeof confusionMatrixSpec };
  return gpu.bind(p, { N: a.N, classes: a.classes }, [a.logits, a.labels, a.matrix], splitGrid(Math.ceil(a.N / overrides.WG)));
}
