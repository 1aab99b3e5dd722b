// The cell explanations read the engine's own numbers: for every kind of layer, the shown arithmetic
// (products summed, plus bias) must equal the value the map shows AND the float64 reference, on
// awkward geometry (stride 2, padding, dilation 2, several channels, overlapping pools).
import { describe, expect, it } from 'vitest';
import { newBlock, newLayer, projectionId, type NetworkSpec } from '../model';
import { Network } from '../engine/network';
import { conv2dRef } from '../reference/conv2d';
import { avgPoolRef, maxPoolRef } from '../reference/pool';
import { matmulRef } from '../reference/matmul';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import type { ConvCell, DenseCell, PoolCell, BatchNormCell, ActivationCell, ResidualSumCell } from './cell-protocol';
import { explainCell, flatIndex, receptiveBox } from './inspect-cell';

const spec: NetworkSpec = {
  version: 1,
  input: { C: 3, H: 9, W: 9 },
  layers: [
    { ...newLayer('conv2d', 'c1'), K: 4, F: 3, S: 2, P: 1, activation: 'tanh' },
    { ...newLayer('conv2d', 'c2'), K: 3, F: 3, S: 1, P: 2, dilation: 2, activation: undefined },
    { ...newLayer('batch-norm', 'bn') },
    { ...newLayer('relu', 'r') },
    { ...newLayer('max-pool', 'mp'), F: 3, S: 2, P: 1 },
    { ...newLayer('avg-pool', 'ap'), F: 3, S: 1, P: 1 },
    { ...newLayer('flatten', 'fl') },
    { ...newLayer('dense', 'd'), units: 10 },
  ],
};

/** |a − e| within 1e-4 of the size of what was summed (the terms' magnitudes), or 1e-6 absolute. */
function expectSum(actual: number, expected: number, scale: number, what: string) {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected} (scale ${scale})`).toBeLessThanOrEqual(1e-4 * Math.max(scale, Math.abs(expected)) + 1e-6);
}

async function setup(design: NetworkSpec = spec) {
  const gpu = await testGpu();
  const net = Network.create(gpu, design, 3);
  const plan = await net.plan({ N: 1, train: false, input: { kind: 'direct' }, fuse: false, probs: true });
  const r = new Prng(11);
  // Random weights and biases (biases start at 0) and running statistics (they start at 0 and 1).
  gpu.write(net.store.params, r.floats(net.store.layout.total, -0.6, 0.6));
  gpu.write(net.store.state, Float32Array.from({ length: net.store.layout.stateTotal }, () => r.uniform(0.2, 1.5)));
  gpu.write(plan.input.buffer, r.floats(plan.input.size, -1, 1));
  gpu.run([...plan.forwardParts(), plan.loss!]);
  const read = (t: { buffer: GPUBuffer; size: number }) => gpu.readF32(t.buffer, t.size);
  const params = await gpu.readF32(net.store.params, net.store.layout.total);
  const slot = (id: string, role: string) => {
    const s = net.slotsOf(id).find((x) => x.role === role)!;
    return params.subarray(s.offset, s.offset + s.count);
  };
  const io = (id: string) => plan.nodeTensors.find((t) => t.node.layerId === id)!;
  const explain = (id: string, c: number, y: number, x: number, label?: number) => {
    // Each explanation re-runs the image first, as the session does.
    gpu.run([...plan.forwardParts(), plan.loss!]);
    return explainCell(gpu, net, plan, id, { c, y, x }, label);
  };
  return { gpu, net, plan, read, slot, io, explain, dispose: () => (plan.dispose(), net.dispose()) };
}

const scaleOf = (c: ConvCell) => c.channels.reduce((a, ch) => a + ch.products.reduce((s, p) => s + Math.abs(p), 0), Math.abs(c.bias));

describe('explainCell', () => {
  it('conv: every cell of a stride-2 padded conv and a dilated conv adds up to the map and the reference', async () => {
    const t = await setup();
    for (const [id, act] of [['c1', Math.tanh], ['c2', (v: number) => v]] as const) {
      const { x, y, node } = t.io(id);
      if (node.op !== 'conv2d') throw new Error('conv expected');
      const input = await t.read(x);
      const w = t.slot(id, 'weight');
      const b = t.slot(id, 'bias');
      const ref = conv2dRef(input, w, { N: 1, C: node.C, H: node.H, W: node.W, K: node.K, FH: node.FH, FW: node.FW, S: node.S, PH: node.PH, PW: node.PW, dilation: node.dilation }, b);
      const shown = await t.read(t.plan.outputs.get(id)!);
      const pre = await t.read(y);
      for (let k = 0; k < node.K; k++)
        for (let oy = 0; oy < node.OH; oy++)
          for (let ox = 0; ox < node.OW; ox++) {
            const cell = (await t.explain(id, k, oy, ox)) as ConvCell;
            const i = flatIndex([node.K, node.OH, node.OW], { c: k, y: oy, x: ox });
            expect(cell.kind).toBe('conv2d');
            expect(cell.channels).toHaveLength(node.C);
            const scale = scaleOf(cell);
            const sumOfSums = cell.channels.reduce((a, ch) => a + ch.sum, cell.bias);
            expect(sumOfSums).toBeCloseTo(cell.total, 12);
            expectSum(cell.total, ref[i]!, scale, `${id}[${k},${oy},${ox}] shown sum vs reference`);
            expectSum(cell.total, pre[i]!, scale, `${id}[${k},${oy},${ox}] shown sum vs the engine's output`);
            expect(cell.preActivation).toBe(pre[i]);
            expect(cell.value).toBe(shown[i]);
            expectSum(act(cell.total), cell.value, scale, `${id}[${k},${oy},${ox}] activation`);
          }
    }
    // Padding and dilation as drawn: c1's corner window starts one cell outside; c2's taps are 2 apart.
    const corner = (await t.explain('c1', 0, 0, 0)) as ConvCell;
    expect([corner.iy0, corner.ix0]).toEqual([-1, -1]);
    expect(Array.from(corner.channels[0]!.padding)).toEqual([1, 1, 1, 1, 0, 0, 1, 0, 0]);
    expect(corner.activation?.kind).toBe('tanh');
    const dil = (await t.explain('c2', 1, 2, 2)) as ConvCell;
    expect(dil.geometry.dilation).toBe(2);
    expect([dil.iy0, dil.ix0]).toEqual([0, 0]);
    expect(Array.from(dil.channels[2]!.padding).every((p) => p === 0)).toBe(true);
    expect(dil.receptiveField).toEqual({ y0: 0, y1: 8, x0: 0, x1: 8 });
    expect(corner.receptiveField).toEqual({ y0: 0, y1: 1, x0: 0, x1: 1 });
    t.dispose();
  });

  it("grouped conv: a cell shows only its filter group's channels, and adds up to the map and the reference", async () => {
    const grouped: NetworkSpec = {
      version: 1,
      input: { C: 4, H: 6, W: 6 },
      layers: [
        { ...newLayer('conv2d', 'g'), K: 6, F: 3, S: 1, P: 1, groups: 2, activation: undefined },
        { ...newLayer('dense', 'd'), units: 10 },
      ],
    };
    const t = await setup(grouped);
    const { x, y, node } = t.io('g');
    if (node.op !== 'conv2d') throw new Error('conv expected');
    const input = await t.read(x);
    const ref = conv2dRef(input, t.slot('g', 'weight'), { N: 1, C: 4, H: 6, W: 6, K: 6, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1, groups: 2 }, t.slot('g', 'bias'));
    const pre = await t.read(y);
    for (const [k, oy, ox] of [[0, 0, 0], [2, 3, 4], [3, 1, 1], [5, 5, 5]] as const) {
      const cell = (await t.explain('g', k, oy, ox)) as ConvCell;
      const i = flatIndex([6, 6, 6], { c: k, y: oy, x: ox });
      expect(cell.channels).toHaveLength(2);
      expectSum(cell.total, ref[i]!, scaleOf(cell), `g[${k},${oy},${ox}] shown sum vs reference`);
      expectSum(cell.total, pre[i]!, scaleOf(cell), `g[${k},${oy},${ox}] shown sum vs the engine's output`);
    }
    t.dispose();
  });

  it('pooling, batch norm, activation and dense cells match the maps and the references', async () => {
    const t = await setup();
    const mp = t.io('mp');
    if (mp.node.op !== 'max-pool') throw new Error('pool expected');
    const mpIn = await t.read(mp.x);
    const mpDims = { N: 1, C: mp.node.C, H: mp.node.H, W: mp.node.W, FH: 3, FW: 3, S: 2, P: 1, OH: mp.node.OH, OW: mp.node.OW };
    const mpRef = maxPoolRef(mpIn, mpDims).y;
    const ap = t.io('ap');
    const apRef = avgPoolRef(await t.read(ap.x), { ...mpDims, H: mp.node.OH, W: mp.node.OW, S: 1, OH: mp.node.OH, OW: mp.node.OW });
    const mpShown = await t.read(mp.y);
    const apShown = await t.read(ap.y);
    for (let c = 0; c < mp.node.C; c++)
      for (let oy = 0; oy < mp.node.OH; oy++)
        for (let ox = 0; ox < mp.node.OW; ox++) {
          const i = (c * mp.node.OH + oy) * mp.node.OW + ox;
          const m = (await t.explain('mp', c, oy, ox)) as PoolCell;
          expect(m.result).toBe(m.window[m.argmax!]);
          expect(m.result).toBeCloseTo(mpRef[i]!, 6);
          expect(m.value).toBe(mpShown[i]);
          expect(m.result).toBe(m.value);
          const a = (await t.explain('ap', c, oy, ox)) as PoolCell;
          expectSum(a.result, apRef[i]!, a.window.reduce((s, v) => s + Math.abs(v), 0) / 9, `ap[${c},${oy},${ox}] vs reference`);
          expectSum(a.result, a.value, 1, `ap[${c},${oy},${ox}] vs the map`);
          expect(a.value).toBe(apShown[i]);
        }
    // The top-left max-pool window hangs over the padding on two sides.
    const corner = (await t.explain('mp', 0, 0, 0)) as PoolCell;
    expect(Array.from(corner.padding)).toEqual([1, 1, 1, 1, 0, 0, 1, 0, 0]);

    const bn = (await t.explain('bn', 2, 1, 3)) as BatchNormCell;
    expectSum(bn.total, bn.value, Math.abs(bn.gamma * bn.normalised) + Math.abs(bn.beta), 'batch norm γ·x̂ + β vs the map');
    const relu = (await t.explain('r', 2, 1, 3)) as ActivationCell;
    expect(relu.before).toBe(bn.value);
    expect(relu.after).toBe(Math.max(0, bn.value));

    const d = t.io('d');
    const dIn = await t.read(d.x);
    const logits = await t.read(d.y);
    const probs = await t.read(t.plan.probs!);
    const ref = matmulRef(dIn, t.slot('d', 'weight'), { M: 1, N: 10, K: 27, transB: true }, t.slot('d', 'bias'));
    for (let u = 0; u < 10; u++) {
      const cell = (await t.explain('d', u, 0, 0, 4)) as DenseCell;
      const scale = cell.top.reduce((a, c) => a + Math.abs(c.product), 0) + Math.abs(cell.restSum) + Math.abs(cell.bias);
      expect(cell.top.length).toBe(12);
      expect(Math.abs(cell.top[0]!.product)).toBeGreaterThanOrEqual(Math.abs(cell.top[11]!.product));
      expectSum(cell.top.reduce((a, c) => a + c.product, cell.restSum), cell.sumProducts, scale, 'top + rest');
      expectSum(cell.total, ref[u]!, scale, `d[${u}] vs reference`);
      expectSum(cell.total, logits[u]!, scale, `d[${u}] vs the engine's logit`);
      expect(cell.value).toBe(logits[u]);
      const sm = cell.softmax!;
      for (let k = 0; k < 10; k++) expect(sm.probabilities[k]!).toBeCloseTo(probs[k]!, 5);
      expect(sm.loss!).toBeCloseTo(-Math.log(probs[4]!), 4);
    }
    t.dispose();
  });

  it("a residual block's sum: body + shortcut as the engine added them, then the block's ReLU", async () => {
    const design: NetworkSpec = {
      version: 1,
      input: { C: 2, H: 7, W: 7 },
      layers: [
        { ...newLayer('conv2d', 'c0'), K: 3, F: 3, S: 1, P: 1, activation: undefined },
        newBlock('id-block', [{ ...newLayer('conv2d', 'b1'), K: 3, F: 3, S: 1, P: 1, activation: undefined }]),
        { ...newBlock('proj-block', [{ ...newLayer('conv2d', 'b2'), K: 4, F: 3, S: 2, P: 1, activation: undefined }]), shortcut: 'projection', S: 2, relu: false },
        { ...newLayer('flatten', 'fl') },
        { ...newLayer('dense', 'd'), units: 10 },
      ],
    };
    const t = await setup(design);
    const [c0, b1, b2, proj] = (await Promise.all(['c0', 'b1', 'b2', projectionId('proj-block')].map((id) => t.read(t.io(id).y)))) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const idOut = await t.read(t.plan.nodeTensors.filter((e) => e.node.layerId === 'id-block').at(-1)!.y);

    const a = (await t.explain('id-block', 2, 4, 1)) as ResidualSumCell;
    const i = flatIndex([3, 7, 7], { c: 2, y: 4, x: 1 });
    expect(a).toMatchObject({ kind: 'add', bodyFrom: 'b1', shortcutFrom: 'c0', projection: false });
    expect([a.body, a.shortcut]).toEqual([b1[i], c0[i]]);
    expectSum(a.sum, b1[i]! + c0[i]!, Math.abs(b1[i]!) + Math.abs(c0[i]!), 'identity sum');
    expect(a.activation?.kind).toBe('relu');
    expect(a.value).toBe(idOut[i]);
    expect(a.value).toBe(Math.max(0, a.sum));

    const p = (await t.explain('proj-block', 3, 2, 0)) as ResidualSumCell;
    const k = flatIndex([4, 4, 4], { c: 3, y: 2, x: 0 });
    expect(p).toMatchObject({ kind: 'add', bodyFrom: 'b2', shortcutFrom: projectionId('proj-block'), projection: true, activation: undefined });
    expect([p.body, p.shortcut]).toEqual([b2[k], proj[k]]);
    expectSum(p.value, b2[k]! + proj[k]!, Math.abs(b2[k]!) + Math.abs(proj[k]!), 'projection sum');
    t.dispose();
  });

  it('refuses a cell outside the map and an unknown layer with a clear message', async () => {
    const t = await setup();
    await expect(t.explain('c1', 4, 0, 0)).rejects.toThrow('c1 has no cell (channel 4, row 0, column 0): its output is 4×5×5');
    await expect(t.explain('nope', 0, 0, 0)).rejects.toThrow('no layer nope');
    t.dispose();
  });

  it('receptive fields grow through strides and pools and cover the image after a dense layer', () => {
    const nodes = [
      { key: 'n0', inputs: ['input'], op: 'conv2d', H: 28, W: 28, FH: 5, FW: 5, S: 1, PH: 0, PW: 0, dilation: 1 },
      { key: 'n1', inputs: ['n0'], op: 'max-pool', H: 24, W: 24, F: 2, S: 2, P: 0 },
      { key: 'n2', inputs: ['n1'], op: 'dense' },
    ] as unknown as Parameters<typeof receptiveBox>[0];
    expect(receptiveBox(nodes, 0, { c: 0, y: 3, x: 7 }, { H: 28, W: 28 })).toEqual({ y0: 3, y1: 7, x0: 7, x1: 11 });
    expect(receptiveBox(nodes, 1, { c: 0, y: 1, x: 2 }, { H: 28, W: 28 })).toEqual({ y0: 2, y1: 7, x0: 4, x1: 9 });
    expect(receptiveBox(nodes, 2, { c: 3, y: 0, x: 0 }, { H: 28, W: 28 })).toEqual({ y0: 0, y1: 27, x0: 0, x1: 27 });
  });
});
