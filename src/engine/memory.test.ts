import { describe, expect, it } from 'vitest';
import { getPreset, newLayer } from '../model';
import { testGpu } from '../testing/gpu';
import { checkPlanFits, estimatePlanMemory } from './memory';
import { Network } from './network';

const limits = { maxStorageBufferBindingSize: 128 * 1024 ** 2, maxBufferSize: 256 * 1024 ** 2, maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupStorageSize: 32768, maxComputeWorkgroupSizeX: 256, maxComputeWorkgroupSizeY: 256, maxComputeWorkgroupsPerDimension: 65535, maxStorageBuffersPerShaderStage: 8, maxUniformBufferBindingSize: 65536 };

describe('memory limits', () => {
  it('names the layer whose buffer exceeds the binding limit, with the numbers', async () => {
    const gpu = await testGpu();
    const net = Network.create(gpu, getPreset('reference-cnn').spec, 1);
    const nodes = net.nodes(true);
    // conv1 at batch 2048: 2048·32·28·28·4 bytes = 196 MiB > 128 MiB.
    const est = estimatePlanMemory(nodes, 2048, 784, net.store.layout.total, true);
    expect(() => checkPlanFits(est, 2048, limits)).toThrowError(/layer conv1: its output for a batch of 2048 needs 196\.0 MiB in one buffer, more than this GPU allows \(128\.0 MiB/);
    expect(() => checkPlanFits(estimatePlanMemory(nodes, 100, 784, net.store.layout.total, true), 100, limits)).not.toThrow();
    net.dispose();
  });

  it('refuses a plan over the memory budget before allocating anything', async () => {
    const gpu = await testGpu();
    const wide = { version: 1 as const, input: { C: 1, H: 28, W: 28 }, layers: [{ ...newLayer('conv2d', 'wide'), K: 512, F: 3, S: 1, P: 1 }, { ...newLayer('dense', 'fc'), units: 10 }] };
    const net = Network.create(gpu, wide, 1);
    const before = gpu.pool.stats.bytesLive;
    await expect(net.plan({ N: 1024, train: true, input: { kind: 'direct' } })).rejects.toThrowError(/layer wide: its output for a batch of 1024 needs 1\.53 GiB/);
    expect(gpu.pool.stats.bytesLive).toBe(before);
    net.dispose();
  });

  it('plans batch 1 and a large batch of the reference network', async () => {
    const gpu = await testGpu();
    const net = Network.create(gpu, getPreset('reference-cnn').spec, 1);
    for (const N of [1, 1024]) {
      const plan = await net.plan({ N, train: true, input: { kind: 'direct' } });
      gpu.run(plan.stepParts());
      await gpu.done();
      const logits = await gpu.readF32(plan.logits.buffer, 10);
      expect(logits.every(Number.isFinite)).toBe(true);
      plan.dispose();
    }
    net.dispose();
  });
});
