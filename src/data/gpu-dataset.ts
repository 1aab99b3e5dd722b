// Why: the whole dataset lives on the GPU as bytes (4 pixels per u32), so a training step gathers its
// batch there and nothing crosses from the CPU but a shuffled index list once per epoch.
import type { Gpu } from '../gpu';
import type { LabelledImages } from './idx';

export interface GpuSplit {
  count: number;
  /** C·H·W bytes per image. */
  imageBytes: number;
  images: GPUBuffer;
  labels: GPUBuffer;
  /** The CPU copy (for pictures in the UI and for single-image prediction). */
  host: LabelledImages;
  /** Per-channel normalisation the batch gather applies (absent: MNIST's). */
  mean?: readonly number[];
  std?: readonly number[];
}

function packBytes(bytes: Uint8Array): Uint32Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  return new Uint32Array(padded.buffer);
}

export function uploadSplit(gpu: Gpu, split: LabelledImages, label: string, norm?: { mean: readonly number[]; std: readonly number[] }): GpuSplit {
  const imageBytes = (split.channels ?? 1) * split.rows * split.cols;
  if (imageBytes % 4 !== 0) throw new Error(`${label}: ${split.rows}×${split.cols} images are not a whole number of 4-byte words`);
  return {
    ...norm,
    count: split.count,
    imageBytes,
    images: gpu.upload(packBytes(split.images), `${label}:images`),
    labels: gpu.upload(packBytes(split.labels), `${label}:labels`),
    host: split,
  };
}

export function releaseSplit(gpu: Gpu, s: GpuSplit): void {
  gpu.release(s.images);
  gpu.release(s.labels);
}
