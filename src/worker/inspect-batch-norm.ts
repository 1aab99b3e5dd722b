// Why: batch norm behaves differently in training and at test time, and students meet it as a
// surprise ("why does my prediction change in eval()?"). This runs the selected image through the
// network both ways — in training mode inside a batch (with its neighbours in the test set), where
// each channel is normalised with the batch's own mean and variance, and in evaluation mode alone,
// where the running averages are used — and reports both, from the engine. The training-mode pass
// would move the running averages; they are copied aside and put back.
import type { Gpu } from '../gpu';
import type { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import type { BatchNormModes, CellPosition } from './cell-protocol';
import { flatIndex } from './inspect-cell';

const scalar = (gpu: Gpu, buffer: GPUBuffer, index: number) => gpu.readF32(buffer, 1, index).then((a) => a[0]!);

/** `inputs`: `trainPlan.N` images, the selected one first; `evalPlan` (N = 1) runs the first alone. */
export async function batchNormModes(gpu: Gpu, network: Network, trainPlan: Plan, evalPlan: Plan, inputs: Float32Array, layerId: string, at: CellPosition): Promise<BatchNormModes> {
  const index = trainPlan.nodeTensors.findIndex((e) => e.node.layerId === layerId && e.node.op === 'batch-norm');
  if (index < 0) throw new Error(`${layerId} is not a batch-norm layer of the built network`);
  const node = trainPlan.nodeTensors[index]!.node;
  if (node.op !== 'batch-norm') throw new Error('unreachable');
  const shape = [...trainPlan.nodeTensors[index]!.y.shape.slice(1)];
  const per = shape.reduce((a, b) => a * b, 1);
  const oi = flatIndex(shape, at);
  const store = network.store;
  const state = store.layout.stateSlots.filter((s) => s.layerId === layerId);
  const mean = state.find((s) => s.role === 'running-mean')!;
  const variance = state.find((s) => s.role === 'running-var')!;
  const slot = (role: string) => network.slotsOf(layerId).find((s) => s.role === role)!;
  const keep = gpu.storage(store.state.size, 'bn-modes:state');
  try {
    gpu.submit((enc) => enc.copyBufferToBuffer(store.state, 0, keep, 0, store.state.size), 'keep-bn-state');
    const running = Promise.all([scalar(gpu, store.state, mean.offset + at.c), scalar(gpu, store.state, variance.offset + at.c)]);
    const affine = Promise.all([scalar(gpu, store.params, slot('gamma').offset + at.c), scalar(gpu, store.params, slot('beta').offset + at.c)]);
    // Training mode, the whole batch.
    gpu.write(trainPlan.input.buffer, inputs);
    gpu.clear(trainPlan.labels);
    gpu.run([...trainPlan.forwardParts(), trainPlan.loss!], 'bn-modes:train');
    const x = gpu.readF32(trainPlan.nodeTensors[index]!.x.buffer, trainPlan.nodeTensors[index]!.x.size);
    const trainValue = scalar(gpu, trainPlan.nodeTensors[index]!.y.buffer, oi);
    const trainProbs = gpu.readF32(trainPlan.probs!.buffer, 10);
    gpu.submit((enc) => enc.copyBufferToBuffer(keep, 0, store.state, 0, store.state.size), 'restore-bn-state');
    // Evaluation mode, the image alone (after the running statistics are back).
    gpu.write(evalPlan.input.buffer, inputs.subarray(0, evalPlan.input.size));
    gpu.run([...evalPlan.forwardParts(), evalPlan.loss!], 'bn-modes:eval');
    const evalNode = evalPlan.nodeTensors[index]!;
    const evalValue = scalar(gpu, evalNode.y.buffer, oi);
    const evalProbs = gpu.readF32(evalPlan.probs!.buffer, 10);

    // The channel's batch statistics over N·H·W (biased variance, as batch norm uses).
    const xs = await x;
    const hw = shape.length === 3 ? shape[1]! * shape[2]! : 1;
    let sum = 0;
    let sq = 0;
    for (let n = 0; n < trainPlan.N; n++)
      for (let p = 0; p < hw; p++) {
        const v = xs[n * per + at.c * hw + p]!;
        sum += v;
        sq += v * v;
      }
    const count = trainPlan.N * hw;
    const batchMean = sum / count;
    const [[runningMean, runningVar], [gamma, beta]] = await Promise.all([running, affine]);
    return {
      layerId,
      at,
      batch: trainPlan.N,
      batchMean,
      batchVar: Math.max(0, sq / count - batchMean * batchMean),
      runningMean,
      runningVar,
      gamma,
      beta,
      epsilon: node.epsilon,
      trainValue: await trainValue,
      evalValue: await evalValue,
      trainProbabilities: await trainProbs,
      evalProbabilities: await evalProbs,
    };
  } finally {
    gpu.release(keep);
  }
}
