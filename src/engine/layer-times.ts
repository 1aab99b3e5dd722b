// Why: "which layer costs the time": one training step's pieces (gather, each layer's forward and
// backward, the loss, the optimizer) timed on the GPU (gpu/timer.ts) and summed per layer.
import { timePieces, type BoundKernel, type Gpu, type PieceTimes } from '../gpu';
import type { ParamStore } from './param-store';
import type { Plan } from './plan';

export interface LayerTime {
  /** A layer id, or 'gather', 'loss', 'optimizer'. */
  layerId: string;
  forwardMs: number;
  backwardMs: number;
}

/** GPU ms per step of each piece of a training plan (the optimizer's kernel, if given, as its own row). */
export async function layerGpuTimes(gpu: Gpu, plan: Plan, optimizer?: BoundKernel, repeats = 10, method?: PieceTimes['method']): Promise<{ method: PieceTimes['method']; layers: LayerTime[] }> {
  const segments = plan.stepSegments();
  const pieces = [...segments.map((s) => ({ label: `${s.layerId} ${s.phase}`, parts: s.parts })), ...(optimizer ? [{ label: 'optimizer', parts: [optimizer] }] : [])];
  const times = await timePieces(gpu, pieces, repeats, method);
  const ms = times.ms;
  const layers: LayerTime[] = [];
  const row = (id: string) => {
    let r = layers.find((l) => l.layerId === id);
    if (!r) layers.push((r = { layerId: id, forwardMs: 0, backwardMs: 0 }));
    return r;
  };
  segments.forEach((s, i) => {
    const r = row(s.layerId);
    if (s.phase === 'forward') r.forwardMs += ms[i]!;
    else r.backwardMs += ms[i]!;
  });
  if (optimizer) row('optimizer').backwardMs += ms[segments.length]!;
  return { method: times.method, layers };
}

/**
 * layerGpuTimes of a live training plan (no optimizer: the weights stay as they are), putting back the
 * batch-norm running statistics its extra forward passes update.
 */
export async function layerTimesKeepingState(gpu: Gpu, store: ParamStore, plan: Plan, repeats: number): Promise<{ method: PieceTimes['method']; layers: LayerTime[] }> {
  const bytes = store.layout.stateTotal * 4;
  const keep = bytes > 0 ? gpu.storage(bytes, 'state-copy') : undefined;
  if (keep) gpu.submit((enc) => enc.copyBufferToBuffer(store.state, 0, keep, 0, bytes), 'keep-state');
  try {
    return await layerGpuTimes(gpu, plan, undefined, repeats);
  } finally {
    if (keep) {
      gpu.submit((enc) => enc.copyBufferToBuffer(keep, 0, store.state, 0, bytes), 'restore-state');
      gpu.release(keep);
    }
  }
}
