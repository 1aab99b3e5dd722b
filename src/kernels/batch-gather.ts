// Why: the dataset lives on the GPU as bytes (MNIST: 47 MB of u8 pixels), and each step's batch is
// gathered and normalised there in the shuffled epoch order, so nothing is uploaded per step: the engine
// only changes `offset` (setParams) per batch and rewrites the index buffer once per epoch.
import source from '../../shaders/batch-gather.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu, type PreparedPipeline } from '../gpu';

const params = {
  N: 'u32', imageWords: 'u32', offset: 'u32', planeWords: 'u32',
  scale0: 'f32', shift0: 'f32', scale1: 'f32', shift1: 'f32', scale2: 'f32', shift2: 'f32',
} as const;

export const batchGatherSpec = defineKernel({
  name: 'batch-gather',
  source,
  params,
  bindings: [
    { name: 'images', access: 'read' },
    { name: 'labels', access: 'read' },
    { name: 'indices', access: 'read' },
    { name: 'x', access: 'read_write' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { WG: 64 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** MNIST's training-set pixel mean and standard deviation (of byte/255), as torchvision uses. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

export interface BatchGatherArgs {
  /** u8 pixels packed 4 per u32 (little-endian), image after image: imageBytes per image. */
  images: BufferBinding;
  /** u8 labels packed 4 per u32 (little-endian), one per image. */
  labels: BufferBinding;
  /** u32 dataset rows in epoch order (a shuffled permutation). */
  indices: BufferBinding;
  /** f32 [N, C, H, W] output batch (N·imageBytes floats). */
  x: BufferBinding;
  /** u32 [N] output labels (what softmax-cross-entropy reads). */
  y: BufferBinding;
  N: number;
  /** C·H·W bytes per image; must be a multiple of 4 (MNIST: 784). */
  imageBytes: number;
  /** Position in `indices` of the batch's first sample: batchIndex·N (may change per step via setParams). */
  offset: number;
  /** x = (byte/255 − mean[c])/std[c] per channel c (1 to 3 channels of imageBytes/C bytes each);
   *  defaults to MNIST's (one channel). */
  mean?: readonly number[];
  std?: readonly number[];
}

type GatherParams = { N: number; imageWords: number; offset: number; planeWords: number; scale0: number; shift0: number; scale1: number; shift1: number; scale2: number; shift2: number };

/** The Params values for a batch (call setParams(batchGatherParams({...args, offset})) per step). */
export function batchGatherParams(a: Pick<BatchGatherArgs, 'N' | 'imageBytes' | 'offset' | 'mean' | 'std'>): GatherParams {
  if (!Number.isInteger(a.imageBytes) || a.imageBytes <= 0 || a.imageBytes % 4 !== 0) {
    throw new Error(`batch-gather: imageBytes must be a positive multiple of 4 (pixels are read 4 per u32), got ${a.imageBytes}`);
  }
  const mean = a.mean ?? [MNIST_MEAN];
  const std = a.std ?? [MNIST_STD];
  const C = mean.length;
  if (C < 1 || C > 3 || std.length !== C) throw new Error(`batch-gather: 1 to 3 channels with one mean and one std each, got ${mean.length} means and ${std.length} stds`);
  const bad = std.find((s) => !(s > 0));
  if (bad !== undefined) throw new Error(`batch-gather: std must be > 0, got ${bad}`);
  const plane = a.imageBytes / C;
  if (!Number.isInteger(plane) || plane % 4 !== 0) throw new Error(`batch-gather: a channel plane of ${a.imageBytes}/${C} bytes is not a whole number of 4-byte words`);
  const scale = (c: number) => 1 / (255 * std[Math.min(c, C - 1)]!);
  const shift = (c: number) => -mean[Math.min(c, C - 1)]! / std[Math.min(c, C - 1)]!;
  return {
    N: a.N, imageWords: a.imageBytes / 4, offset: a.offset, planeWords: plane / 4,
    scale0: scale(0), shift0: shift(0), scale1: scale(1), shift1: shift(1), scale2: scale(2), shift2: shift(2),
  };
}

/** Gathers batch rows indices[offset .. offset + N) into x (normalised f32) and y (u32 labels). */
export async function batchGather(gpu: Gpu, a: BatchGatherArgs): Promise<BoundKernel<typeof params>> {
  if (!Number.isInteger(a.N) || a.N < 1) throw new Error(`batch-gather: N must be a positive integer, got ${a.N}`);
  const values = batchGatherParams(a);
  const p = (await gpu.prepare(batchGatherSpec)) as PreparedPipeline & { spec: typeof batchGatherSpec };
  return gpu.bind(p, values, [a.images, a.labels, a.indices, a.x, a.y], splitGrid(a.N));
}
