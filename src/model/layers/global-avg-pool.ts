// Why: the mean over H×W per channel: C×H×W → a flat vector of C features, no weights.
import { fmt, productText, shapeText } from '../format';
import { BYTES_PER_F32, needsMap, onnxFlatten, seeAll } from './common';
import type { LayerDef } from './types';

export const globalAvgPool: LayerDef<'global-avg-pool'> = {
  kind: 'global-avg-pool',
  info: { title: 'Global average pool', blurb: 'C×H×W → C', group: 'Pooling' },
  defaults: () => ({}),
  fields: [],
  formulas: () => ({}),
  shape(layer, at) {
    const bad = needsMap(layer, at);
    if (bad) return bad;
    const [C, H, W] = at.cur as [number, number, number];
    seeAll(at.rf);
    const macs = C * H * W;
    return {
      outShape: [C],
      macs,
      activationBytes: C * BYTES_PER_F32,
      arithmetic: {
        outSize: `mean over each ${fmt(H)}×${fmt(W)} map: ${shapeText(at.cur)} → ${fmt(C)}`,
        params: '0 (no weights)',
        macs: `${productText(at.cur)} = ${fmt(macs)}`,
      },
    };
  },
  tensors: () => [],
  pytorch: (_l, a) => [
    { suffix: '', ctor: 'nn.AdaptiveAvgPool2d(1)', shape: [a.inShape[0], 1, 1] },
    { suffix: '_flatten', ctor: 'nn.Flatten()', shape: a.outShape },
  ],
  onnx: () => [{ op: 'GlobalAveragePool', suffix: '', inputs: ['x'] }, onnxFlatten('_flatten')],
};
