// Why: element-wise c = alpha·a + b, which the engine uses to sum the gradients of a tensor consumed
// twice (alpha = 1), and as a general axpy.
import source from '../../shaders/add.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';

const ELEMENTS_PER_THREAD = 4;
const params = { n: 'u32', alpha: 'f32' } as const;
const overrides = { WG: 256 };

export const addSpec = defineKernel({
  name: 'add',
  source,
  params,
  bindings: [
    { name: 'a', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'c', access: 'read_write' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface AddArgs {
  a: BufferBinding;
  b: BufferBinding;
  /** Output; must be a buffer distinct from a and b. */
  c: BufferBinding;
  n: number;
  /** Scale of a; default 1. */
  alpha?: number;
}

/** c = alpha·a + b over n floats. */
export async function add(gpu: Gpu, { a, b, c, n, alpha = 1 }: AddArgs): Promise<BoundKernel> {
  const p = await gpu.prepare(addSpec);
  return gpu.bind(p, { n, alpha }, [a, b, c], splitGrid(Math.ceil(n / (overrides.WG * ELEMENTS_PER_THREAD))));
}
