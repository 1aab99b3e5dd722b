// Why: per-channel (or per-feature) normalisation, then γx + β: 2·C trained numbers, 2·C running
// statistics that are not.
import { fmt, productText } from '../format';
import { pyFloat, sameShape, size } from './common';
import type { LayerDef } from './types';

export const batchNorm: LayerDef<'batch-norm'> = {
  kind: 'batch-norm',
  info: { title: 'Batch norm', short: 'BN', blurb: 'normalise per channel, then γx + β', group: 'Regularisation' },
  defaults: () => ({ momentum: 0.1, epsilon: 1e-5 }),
  fields: [
    { key: 'momentum', type: 'number', label: 'Momentum', name: 'momentum', whole: false, min: 0, max: 1 },
    { key: 'epsilon', type: 'number', label: 'Epsilon ε', name: 'epsilon', whole: false, min: 0, max: 1, minOpen: true },
  ],
  formulas: () => ({ params: '2·C' }),
  shape(_l, at) {
    const C = at.cur[0];
    const values = size(at.cur);
    const s = sameShape(at, values);
    s.arithmetic = {
      outSize: s.arithmetic.outSize,
      params: `2·${fmt(C)} = ${fmt(2 * C)} (γ, β; plus ${fmt(2 * C)} running mean/variance, not trained)`,
      macs: `${productText(at.cur)} = ${fmt(values)}`,
    };
    return s;
  },
  tensors: (_l, inShape) => {
    const C = inShape[0];
    return [
      { role: 'gamma', shape: [C], trainable: true, init: { kind: 'const', value: 1 } },
      { role: 'beta', shape: [C], trainable: true, init: { kind: 'const', value: 0 } },
      { role: 'running-mean', shape: [C], trainable: false, initial: 0 },
      { role: 'running-var', shape: [C], trainable: false, initial: 1 },
    ];
  },
  pytorch: (l, a) => {
    const cls = a.inShape.length === 3 ? 'nn.BatchNorm2d' : 'nn.BatchNorm1d';
    return [{ suffix: '', ctor: `${cls}(${a.inShape[0]}, eps=${pyFloat(l.epsilon)}, momentum=${pyFloat(l.momentum)})`, shape: a.outShape }];
  },
  onnx: (l) => [{ op: 'BatchNormalization', suffix: '', inputs: ['x', 'gamma', 'beta', 'running-mean', 'running-var'], attrs: [{ name: 'epsilon', f: l.epsilon }] }],
};
