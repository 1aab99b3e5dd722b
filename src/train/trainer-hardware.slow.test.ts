// The full learning proof on the hardware kernels (workgroup-tiled implicit GEMMs, 128–256-thread
// workgroups, gradients read through the fused pool), forced on SwiftShader: the reference CNN, 3 epochs
// of 10,000 real MNIST images, ≥ 96% test accuracy. Those kernels are shaped for a GPU, so on a CPU
// adapter this takes several minutes: it runs in the slow tier (npm run test:slow).
import { describe, it } from 'vitest';
import { expectReferenceCnnLearns } from '../testing/reference-learning';

describe('training the reference CNN on MNIST (hardware profile)', () => {
  it('learns: ≥ 96% test accuracy after 3 epochs on the first 10,000 training images (Adam 1e-3, batch 100)', () => expectReferenceCnnLearns('hardware'), 3_600_000);
});
