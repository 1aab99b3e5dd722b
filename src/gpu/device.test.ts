import { describe, expect, it } from 'vitest';
import { acquireDevice, WebGpuUnavailableError } from './device';

describe('acquireDevice', () => {
  it('reports the adapter and its limits', async () => {
    const gpu = await acquireDevice();
    expect(gpu.adapter.vendor.length + gpu.adapter.architecture.length).toBeGreaterThan(0);
    expect(gpu.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
    expect(gpu.limits.maxComputeWorkgroupStorageSize).toBeGreaterThanOrEqual(16384);
    gpu.device.destroy();
  });

  it('turns device loss into a resolved promise with the reason', async () => {
    const gpu = await acquireDevice();
    gpu.device.destroy();
    const info = await gpu.lost;
    expect(info.reason).toBe('destroyed');
  });

  it('explains what to do when WebGPU is missing', async () => {
    const err = await acquireDevice(null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    expect((err as WebGpuUnavailableError).reason).toBe('no-navigator-gpu');
    expect((err as WebGpuUnavailableError).help).toMatch(/--enable-unsafe-webgpu/);
  });

  it('explains a refused adapter', async () => {
    const fake = { requestAdapter: async () => null } as unknown as GPU;
    const err = await acquireDevice(fake).catch((e: unknown) => e);
    expect((err as WebGpuUnavailableError).reason).toBe('no-adapter');
  });
});
