import { describe, it } from 'vitest';
import { activationGradRef, activationRef } from '../reference/activation';
import { expectClose } from '../testing/allclose';
import { f32Buffer, runAndRead, testGpu, zeroBuffer } from '../testing/gpu';
import { Prng } from '../util/prng';
import { activation, activationGrad, type ActivationKind } from './activation';

// f32 vs float64: one transcendental per element, so a few ulps.
const TOL = { atol: 1e-6, rtol: 1e-5 };
const kinds: ActivationKind[] = ['relu', 'leaky-relu', 'sigmoid', 'tanh'];
// Sizes: 1, not a multiple of 4 or of the workgroup, and one larger than a workgroup of 4-element threads.
const sizes = [1, 3, 1023, 4097];

describe('activation kernels vs reference', () => {
  for (const kind of kinds) {
    for (const n of sizes) {
      it(`${kind} forward and backward, n=${n}`, async () => {
        const gpu = await testGpu();
        const r = new Prng(n * 31 + kind.length);
        const x = r.floats(n, -4, 4);
        const dy = r.floats(n);
        const xb = f32Buffer(gpu, x);
        const yb = zeroBuffer(gpu, n);
        const dyb = f32Buffer(gpu, dy);
        const dxb = zeroBuffer(gpu, n);
        const fwd = await activation(gpu, { kind, alpha: 0.2, n, x: xb, y: yb });
        const y = await runAndRead(gpu, [fwd], yb, n);
        expectClose(y, activationRef(kind, x, 0.2), { ...TOL, label: `${kind} y` });
        const bwd = await activationGrad(gpu, { kind, alpha: 0.2, n, y: yb, dy: dyb, dx: dxb });
        const dx = await runAndRead(gpu, [bwd], dxb, n);
        expectClose(dx, activationGradRef(kind, x, dy, 0.2), { ...TOL, label: `${kind} dx` });
        for (const b of [xb, yb, dyb, dxb]) gpu.release(b);
        fwd.dispose();
        bwd.dispose();
      });
    }
  }
});
