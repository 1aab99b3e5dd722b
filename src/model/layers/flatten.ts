// Why: C×H×W → C·H·W features in NCHW order; a no-op on an already flat vector.
import { fmt, productText } from '../format';
import { BYTES_PER_F32, onnxFlatten, size } from './common';
import type { LayerDef } from './types';

export const flatten: LayerDef<'flatten'> = {
  kind: 'flatten',
  info: { title: 'Flatten', blurb: 'C×H×W → C·H·W', group: 'Dense' },
  defaults: () => ({}),
  fields: [],
  formulas: () => ({}),
  shape(_layer, { cur }) {
    const features = size(cur);
    return {
      outShape: [features],
      macs: 0,
      activationBytes: features * BYTES_PER_F32,
      arithmetic: {
        outSize: cur.length === 3 ? `${productText(cur)} = ${fmt(features)}` : `already flat: ${fmt(features)}`,
        params: '0 (no weights)',
        macs: '0',
      },
    };
  },
  tensors: () => [],
  pytorch: (_l, a) => [{ suffix: '', ctor: 'nn.Flatten()', shape: a.outShape }],
  onnx: () => [onnxFlatten('')],
};
