// The training loop is proven by really learning: the reference CNN on real MNIST (the same proof on
// the hardware kernels is trainer-hardware.slow.test.ts).
import { describe, it } from 'vitest';
import { expectReferenceCnnLearns } from '../testing/reference-learning';

describe('training the reference CNN on MNIST', () => {
  it('learns: ≥ 96% test accuracy after 3 epochs on the first 10,000 training images (Adam 1e-3, batch 100)', () => expectReferenceCnnLearns(), 1_800_000);
});
