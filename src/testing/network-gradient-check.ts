// Why: the whole-network proof every engine test uses: the engine's gradients of the mean loss equal
// central finite differences of the loss computed by the same engine, probed at a few elements of
// every tensor (weights, biases, gamma, beta).
import { expect } from 'vitest';
import { Network } from '../engine/network';
import type { ProfileKind } from '../gpu';
import { STATS_SLOT_BYTES, decodeStats } from '../kernels/softmax-cross-entropy';
import type { NetworkSpec } from '../model';
import { Prng } from '../util/prng';
import { testGpu } from './gpu';

/** Checks `s` at batch N on `profile`; returns the worst relative error, the probes and the layers probed. */
export async function networkGradientCheck(profile: ProfileKind, s: NetworkSpec, N: number, seed: number, fuse = true) {
  const gpu = await testGpu(profile);
  const net = Network.create(gpu, s, seed);
  const plan = await net.plan({ N, train: true, input: { kind: 'direct' }, seed, fuse });
  const r = new Prng(seed + 1);
  gpu.write(plan.input.buffer, r.floats(plan.input.size, -1, 1));
  gpu.write(plan.labels, Uint32Array.from({ length: N }, () => r.int(0, 9)));
  const store = net.store;
  const base = await gpu.readF32(store.params, store.layout.total);

  const lossAt = async (params: Float32Array) => {
    gpu.write(store.params, params);
    gpu.run([...plan.forwardParts(), plan.loss!]);
    const [st] = decodeStats(await gpu.read(plan.stats, 0, STATS_SLOT_BYTES), 1);
    return st!.lossSum / st!.rows;
  };

  await lossAt(base);
  gpu.run(plan.stepParts());
  const grads = await gpu.readF32(store.grads, store.layout.total);

  // Probe a few elements of every tensor (weights, biases, gamma, beta).
  const eps = 2e-3;
  let worst = 0;
  let checked = 0;
  for (const slot of store.layout.slots) {
    for (let k = 0; k < Math.min(4, slot.count); k++) {
      const i = slot.offset + r.int(0, slot.count - 1);
      const p = Float32Array.from(base);
      p[i] = base[i]! + eps;
      const up = await lossAt(p);
      p[i] = base[i]! - eps;
      const down = await lossAt(p);
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(numeric - grads[i]!) / (1e-3 + Math.abs(numeric));
      worst = Math.max(worst, err);
      checked++;
      expect(err, `${slot.layerId}.${slot.role}[${i - slot.offset}]: engine ${grads[i]}, finite differences ${numeric}`).toBeLessThan(0.05);
    }
  }
  plan.dispose();
  net.dispose();
  const layers = new Set(store.layout.slots.map((sl) => sl.layerId));
  return { worst, checked, layers };
}
