// Why: "are my gradients vanishing or exploding?" seen as ConvNetJS shows it: one image through a
// training-mode plan of batch 1, its loss, and the backward pass op by op, reading each layer's output
// gradient as it passes (the plan's gradient buffers are reused from layer to layer, so each read is
// queued right after the op that produced it). The filter gradients come from the shared gradient
// buffer; batch norm's running statistics, which a training-mode forward updates, are put back.
import type { Gpu } from '../gpu';
import type { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import { forwardOrder } from '../model';
import { decodeStats, STATS_SLOT_BYTES } from '../kernels/softmax-cross-entropy';
import type { GradientReport, LayerGradient, TensorStats } from './cell-protocol';

export function statsOf(a: ArrayLike<number>): TensorStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += Math.abs(v);
  }
  return a.length ? { min, max, meanAbs: sum / a.length } : { min: 0, max: 0, meanAbs: 0 };
}

/**
 * Runs `input` (one image) forward and backward through `plan` (N = 1, training mode, unfused) against
 * class `target`, and reports every layer's output, output gradient and weights.
 */
export async function layerGradients(gpu: Gpu, network: Network, plan: Plan, input: Float32Array, target: number, targetIsLabel: boolean): Promise<GradientReport> {
  if (!plan.train || plan.N !== 1) throw new Error('the gradient view needs a training plan of batch 1');
  const store = network.store;
  const keep = gpu.storage(store.state.size, 'gradient-view:bn-state');
  try {
    gpu.submit((enc) => enc.copyBufferToBuffer(store.state, 0, keep, 0, store.state.size), 'keep-bn-state');
    gpu.write(plan.input.buffer, input);
    gpu.write(plan.labels, Uint32Array.of(target));
    gpu.run([...plan.forwardParts(), plan.loss!], 'gradient-view:forward');
    const stats = gpu.read(plan.stats, 0, STATS_SLOT_BYTES);
    const entries = plan.nodeTensors;
    // Each layer's output and its gradient are those of the layer's last node (after a fused activation).
    const lastOf = new Map<string, number>();
    entries.forEach((e, i) => lastOf.set(e.node.layerId, i));
    const outputs = new Map<number, Promise<Float32Array>>();
    const grads = new Map<number, Promise<Float32Array>>();
    for (const i of lastOf.values()) outputs.set(i, gpu.readF32(entries[i]!.y.buffer, entries[i]!.y.size));
    // Backward, one node at a time: a node's dy is complete once the node after it has run.
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (lastOf.get(e.node.layerId) === i && e.dy) grads.set(i, gpu.readF32(e.dy.buffer, e.dy.size));
      if (e.backward.length) gpu.run(e.backward, 'gradient-view:backward');
    }
    const weights = network.store.layout.slots.filter((s) => s.role === 'weight');
    const wValues = new Map(weights.map((s) => [s.layerId, gpu.readF32(store.params, s.count, s.offset)]));
    const wGrads = new Map(weights.map((s) => [s.layerId, gpu.readF32(store.grads, s.count, s.offset)]));
    gpu.submit((enc) => enc.copyBufferToBuffer(keep, 0, store.state, 0, store.state.size), 'restore-bn-state');

    const [st] = decodeStats(await stats, 1);
    const layers: LayerGradient[] = [];
    for (const layer of forwardOrder(network.spec.layers)) {
      const i = lastOf.get(layer.id);
      if (i === undefined) continue;
      const e = entries[i]!;
      const y = await outputs.get(i)!;
      const grad = (await grads.get(i)) ?? new Float32Array(y.length);
      const slot = weights.find((s) => s.layerId === layer.id);
      const relu = e.node.op === 'activation' && e.node.kind === 'relu';
      const w = slot && (await wValues.get(layer.id)!);
      const dw = slot && (await wGrads.get(layer.id)!);
      layers.push({
        layerId: layer.id,
        kind: layer.kind,
        shape: [...e.y.shape.slice(1)],
        grad,
        activation: statsOf(y),
        gradient: statsOf(grad),
        ...(slot && w && dw && { weight: statsOf(w), weightShape: slot.shape, weightGrad: dw, weightGradStats: statsOf(dw) }),
        ...(relu && { deadRelu: y.reduce((a, v) => a + (v <= 0 ? 1 : 0), 0) / y.length }),
      });
    }
    return { target, targetIsLabel, loss: st!.lossSum / st!.rows, layers };
  } finally {
    // Released after the restore copy was queued (the pool reuses it only for later work).
    gpu.release(keep);
  }
}
