import { describe, it } from 'vitest';
import { Prng } from '../util/prng';
import { expectClose } from '../testing/allclose';
import { dot, numericGrad } from '../testing/finite-diff';
import { activationGradRef, activationRef, type RefActivation } from './activation';

describe('activation reference backward vs finite differences', () => {
  const kinds: RefActivation[] = ['relu', 'leaky-relu', 'sigmoid', 'tanh'];
  for (const kind of kinds) {
    it(kind, () => {
      const r = new Prng(7);
      // Keep inputs away from the ReLU kink, where the derivative is undefined.
      const x = Array.from({ length: 37 }, () => (r.next() < 0.5 ? -1 : 1) * r.uniform(0.05, 2));
      const dy = r.floats(37);
      const numeric = numericGrad((xs) => dot(activationRef(kind, xs, 0.1), dy), x);
      expectClose(activationGradRef(kind, x, dy, 0.1), numeric, { atol: 1e-6, rtol: 1e-6, label: kind });
    });
  }
});
