// Why: `npm run bench` shows per layer where a training step's GPU time goes. The page builds the same
// network and training plan the worker trains (engine code, its own device, after the worker's run has
// ended), on random input, and times each layer's forward and backward dispatches (gpu/timer.ts:
// timestamp queries where the adapter has them, else each piece submitted alone).
import { Gpu } from '../gpu';
import { layerGpuTimes } from '../engine/layer-times';
import { Network } from '../engine/network';
import { Optimizer } from '../engine/optimizer';
import { getPreset } from '../model';
import { Prng } from '../util/prng';
import type { LayerTimes } from './types';

export async function profileLayers(batch: number, repeats: number): Promise<LayerTimes> {
  const gpu = await Gpu.create();
  try {
    const preset = getPreset('reference-cnn');
    const net = Network.create(gpu, preset.spec, 1);
    const plan = await net.plan({ N: batch, train: true, input: { kind: 'direct' }, seed: 1 });
    const optimizer = await Optimizer.create(gpu, net.store, preset.train.optimizer);
    optimizer.prepareStep(1, optimizer.config.lr);
    const r = new Prng(1);
    gpu.write(plan.input.buffer, r.floats(plan.input.size, 0, 1));
    gpu.write(plan.labels, Uint32Array.from({ length: batch }, () => r.int(0, 9)));
    // One untimed step first (first dispatches of a pipeline can be slower).
    gpu.run([...plan.stepParts(), optimizer.kernel]);
    await gpu.done();
    const { method, layers } = await layerGpuTimes(gpu, plan, optimizer.kernel, repeats);
    optimizer.dispose();
    plan.dispose();
    net.dispose();
    return { method, profile: gpu.profile.kind, repeats, layers };
  } finally {
    gpu.destroy();
  }
}
