// Why: to say which layer went bad, the divergence guard compares each layer's output size and weight
// gradient in the step that broke with the same batch through the healthy weights; this reads them.
import type { Gpu } from '../gpu';
import type { Network } from '../engine/network';
import { forwardOrder } from '../model';
import type { Plan } from '../engine/plan';
import type { StepProbe } from './divergence-guard';
import type { LayerSignal } from './health';

/** The probe over a training plan; `replay` runs its last step's forward and backward again. */
export function layerProbe(gpu: Gpu, network: Network, plan: Plan, replay: () => void): StepProbe {
  const store = network.store;
  return {
    replay,
    signals: async () => {
      const grads = await gpu.readF32(store.grads, store.layout.total);
      const out: LayerSignal[] = [];
      for (const layer of forwardOrder(network.spec.layers)) {
        const t = plan.outputs.get(layer.id);
        const slots = network.slotsOf(layer.id);
        const s: LayerSignal = { layerId: layer.id, kind: layer.kind };
        if (t) s.output = maxAbs(await gpu.readF32(t.buffer, t.size));
        if (slots.length > 0) s.gradient = Math.sqrt(slots.reduce((sum, sl) => sum + sumSquares(grads, sl.offset, sl.count), 0));
        out.push(s);
      }
      return out;
    },
  };
}

/** Largest |x| (NaN when any value is non-finite). */
function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) return NaN;
    m = Math.max(m, Math.abs(v));
  }
  return m;
}

function sumSquares(values: Float32Array, offset: number, count: number): number {
  let s = 0;
  for (let i = offset; i < offset + count; i++) s += values[i]! * values[i]!;
  return s;
}
