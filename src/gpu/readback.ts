// Why: reading GPU results is asynchronous and must never block a step: copy into a mappable staging
// buffer, submit, and resolve when the GPU is done with it.
import type { BufferPool } from './buffer-pool';

export async function readBuffer(device: GPUDevice, pool: BufferPool, src: GPUBuffer, byteOffset = 0, byteLength = src.size - byteOffset): Promise<ArrayBuffer> {
  const size = Math.ceil(byteLength / 4) * 4;
  const staging = pool.acquire(size, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, `readback:${src.label}`);
  try {
    const enc = device.createCommandEncoder({ label: 'readback' });
    enc.copyBufferToBuffer(src, byteOffset, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, size);
    const out = staging.getMappedRange(0, size).slice(0, byteLength);
    staging.unmap();
    return out;
  } finally {
    pool.release(staging);
  }
}
