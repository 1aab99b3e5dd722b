// Why: kernel tests share one device per test file and a few helpers to upload, run and read back.
import { Gpu, type Encodable, type ProfileKind } from '../gpu';

const shared = new Map<ProfileKind | 'detected', Promise<Gpu>>();

/**
 * One Gpu per test file and profile (the module is re-evaluated per file in Vitest browser mode).
 * `profile` forces the kernel family: 'hardware' runs the workgroup-tiled kernels on SwiftShader too.
 */
export function testGpu(profile?: ProfileKind): Promise<Gpu> {
  const key = profile ?? 'detected';
  let g = shared.get(key);
  if (!g) {
    g = Gpu.create(undefined, profile);
    shared.set(key, g);
  }
  return g;
}

/** Both kernel families, for tables that run on each (`describe.each(PROFILES)`). */
export const PROFILES: readonly ProfileKind[] = ['software', 'hardware'];

/** Uploads f32 data to a fresh storage buffer. */
export function f32Buffer(gpu: Gpu, data: ArrayLike<number>, label = 'test'): GPUBuffer {
  return gpu.upload(Float32Array.from(data), label);
}

/** A zero-filled storage buffer of n 4-byte elements. */
export function zeroBuffer(gpu: Gpu, n: number, label = 'out'): GPUBuffer {
  const b = gpu.storage(Math.max(4, n * 4), label);
  gpu.clear(b);
  return b;
}

/** Runs kernels in one pass, waits, and reads back `n` floats of `out`. */
export async function runAndRead(gpu: Gpu, kernels: Encodable[], out: GPUBuffer, n: number): Promise<Float32Array> {
  gpu.run(kernels, 'test');
  return gpu.readF32(out, n);
}
