// Why: the ReLU activation, element-wise: same shape out, no weights.
import { onnxActivation, sameShape } from './common';
import type { LayerDef } from './types';

export const relu: LayerDef<'relu'> = {
  kind: 'relu',
  info: { title: 'ReLU', blurb: 'max(0, x)', group: 'Activation' },
  defaults: () => ({}),
  fields: [],
  formulas: () => ({}),
  shape: (_l, at) => sameShape(at),
  tensors: () => [],
  pytorch: (_l, a) => [{ suffix: '', ctor: 'nn.ReLU()', shape: a.outShape }],
  onnx: () => [onnxActivation('relu', '')],
};
