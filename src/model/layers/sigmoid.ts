// Why: the Sigmoid activation, element-wise: same shape out, no weights.
import { onnxActivation, sameShape } from './common';
import type { LayerDef } from './types';

export const sigmoid: LayerDef<'sigmoid'> = {
  kind: 'sigmoid',
  info: { title: 'Sigmoid', blurb: '1 / (1 + e^−x)', group: 'Activation' },
  defaults: () => ({}),
  fields: [],
  formulas: () => ({}),
  shape: (_l, at) => sameShape(at),
  tensors: () => [],
  pytorch: (_l, a) => [{ suffix: '', ctor: 'nn.Sigmoid()', shape: a.outShape }],
  onnx: () => [onnxActivation('sigmoid', '')],
};
