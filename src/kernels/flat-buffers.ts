// Why: kernels that bind flat f32 buffers as vec4 arrays read whole vec4s, so each binding must cover
// n rounded up to 4 floats; checking that on the CPU turns a silent robustness clamp into a clear error.
import type { BufferBinding } from '../gpu';

export function bindingBytes(b: BufferBinding): number {
  return b instanceof GPUBuffer ? b.size : b.size;
}

/** Throws unless every named binding holds at least ceil(n/4)·4 floats. */
export function assertVec4Cover(kernel: string, n: number, buffers: Record<string, BufferBinding | undefined>): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${kernel}: n must be a non-negative integer, got ${n}`);
  const need = Math.ceil(n / 4) * 16;
  for (const [name, b] of Object.entries(buffers)) {
    if (b !== undefined && bindingBytes(b) < need) {
      throw new Error(`${kernel}: ${name} binding has ${bindingBytes(b)} bytes; ${n} floats bound as vec4 need ${need} (pad to a multiple of 4 floats)`);
    }
  }
}
