// Why: max(αx, x), element-wise, with its own negative slope α.
import { onnxActivation, pyFloat, sameShape } from './common';
import type { LayerDef } from './types';

export const leakyRelu: LayerDef<'leaky-relu'> = {
  kind: 'leaky-relu',
  info: { title: 'Leaky ReLU', blurb: 'max(αx, x)', group: 'Activation' },
  defaults: () => ({ alpha: 0.01 }),
  fields: [{ key: 'alpha', type: 'number', label: 'Negative slope α', name: 'alpha (negative slope)', whole: false, min: 0, max: 1 }],
  formulas: () => ({}),
  shape: (_l, at) => sameShape(at),
  tensors: () => [],
  pytorch: (l, a) => [{ suffix: '', ctor: `nn.LeakyReLU(negative_slope=${pyFloat(l.alpha)})`, shape: a.outShape }],
  onnx: (l) => [onnxActivation('leaky-relu', '', l.alpha)],
};
