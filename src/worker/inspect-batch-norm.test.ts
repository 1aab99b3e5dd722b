// Batch norm's two modes, from the engine: in training mode the shown batch mean and variance and the
// cell's output match the reference over the batch; in evaluation mode the output uses the running
// averages; and the comparison leaves the running averages as they were.
import { describe, expect, it } from 'vitest';
import { newLayer, type NetworkSpec } from '../model';
import { Network } from '../engine/network';
import { batchNormEvalRef, batchNormTrainRef } from '../reference/batch-norm';
import { conv2dRef } from '../reference/conv2d';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { batchNormModes } from './inspect-batch-norm';

const spec: NetworkSpec = {
  version: 1,
  input: { C: 1, H: 5, W: 5 },
  layers: [
    { ...newLayer('conv2d', 'c'), K: 3, F: 3, S: 1, P: 1, activation: undefined },
    { ...newLayer('batch-norm', 'bn') },
    { ...newLayer('dense', 'd'), units: 10 },
  ],
};

describe('batchNormModes', () => {
  it('training mode uses the batch statistics, evaluation mode the running averages; state unchanged', async () => {
    const gpu = await testGpu();
    const net = Network.create(gpu, spec, 4);
    const N = 4;
    const train = await net.plan({ N, train: true, input: { kind: 'direct' }, fuse: false, probs: true });
    const evalPlan = await net.plan({ N: 1, train: false, input: { kind: 'direct' }, fuse: false, probs: true });
    const r = new Prng(9);
    gpu.write(net.store.params, r.floats(net.store.layout.total, -0.5, 0.5));
    const state = Float32Array.from({ length: net.store.layout.stateTotal }, () => r.uniform(0.3, 1.2));
    gpu.write(net.store.state, state);
    const inputs = r.floats(N * 25, -1, 1);
    const m = await batchNormModes(gpu, net, train, evalPlan, inputs, 'bn', { c: 1, y: 2, x: 3 });

    const params = await gpu.readF32(net.store.params, net.store.layout.total);
    const slot = (id: string, role: string) => {
      const s = net.slotsOf(id).find((t) => t.role === role)!;
      return params.subarray(s.offset, s.offset + s.count);
    };
    const z = conv2dRef(inputs, slot('c', 'weight'), { N, C: 1, H: 5, W: 5, K: 3, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 }, slot('c', 'bias'));
    const ref = batchNormTrainRef(z, slot('bn', 'gamma'), slot('bn', 'beta'), { N, C: 3, HW: 25 }, 1e-5);
    const sm = net.store.layout.stateSlots;
    const rm = state.subarray(sm[0]!.offset, sm[0]!.offset + 3);
    const rv = state.subarray(sm[1]!.offset, sm[1]!.offset + 3);
    const evalRef = batchNormEvalRef(z.subarray(0, 75), slot('bn', 'gamma'), slot('bn', 'beta'), rm, rv, { N: 1, C: 3, HW: 25 }, 1e-5);
    const cell = 25 + 2 * 5 + 3;
    expect(m.batch).toBe(N);
    expect(m.batchMean).toBeCloseTo(ref.mean[1]!, 5);
    expect(m.batchVar).toBeCloseTo(ref.variance[1]!, 5);
    expect(m.trainValue).toBeCloseTo(ref.y[cell]!, 4);
    expect(m.evalValue).toBeCloseTo(evalRef[cell]!, 4);
    expect(m.runningMean).toBe(rm[1]);
    expect(m.runningVar).toBe(rv[1]);
    expect(m.trainProbabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Array.from(await gpu.readF32(net.store.state, net.store.layout.stateTotal))).toEqual(Array.from(state));
    train.dispose();
    evalPlan.dispose();
    net.dispose();
  });
});
