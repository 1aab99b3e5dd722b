// Why: a GPU-resident tensor is a pooled buffer plus its shape; it is freed explicitly (dispose), never
// by the garbage collector, so the buffer pool's byte count is always the truth.
import type { Gpu } from '../gpu';

export interface Tensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
  /** Number of f32 elements. */
  readonly size: number;
  readonly label: string;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function allocTensor(gpu: Gpu, shape: readonly number[], label: string): Tensor {
  const size = sizeOf(shape);
  // Round up to whole vec4s: element-wise kernels may read 4 at a time.
  return { buffer: gpu.storage(Math.ceil(size / 4) * 16, label), shape, size, label };
}

export function disposeTensor(gpu: Gpu, t: Tensor): void {
  gpu.release(t.buffer);
}
