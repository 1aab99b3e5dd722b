// Why: the Tanh activation, element-wise: same shape out, no weights.
import { onnxActivation, sameShape } from './common';
import type { LayerDef } from './types';

export const tanh: LayerDef<'tanh'> = {
  kind: 'tanh',
  info: { title: 'Tanh', blurb: 'tanh(x)', group: 'Activation' },
  defaults: () => ({}),
  fields: [],
  formulas: () => ({}),
  shape: (_l, at) => sameShape(at),
  tensors: () => [],
  pytorch: (_l, a) => [{ suffix: '', ctor: 'nn.Tanh()', shape: a.outShape }],
  onnx: () => [onnxActivation('tanh', '')],
};
