// Why: tests that need a real but fast MNIST network (training loops, soak, divergence) share one.
import { newLayer, type NetworkSpec } from '../model';

/** conv 4×4/2 (4 filters) + ReLU, max-pool 2, dense 10: learns MNIST a little in a few dozen steps. */
export const tinyMnistConvNet: NetworkSpec = {
  version: 1,
  input: { C: 1, H: 28, W: 28 },
  layers: [
    { ...newLayer('conv2d', 'c1'), K: 4, F: 4, S: 2, P: 1, activation: 'relu' },
    { ...newLayer('max-pool', 'p1'), F: 2, S: 2, P: 0 },
    { ...newLayer('dense', 'fc'), units: 10 },
  ],
};
