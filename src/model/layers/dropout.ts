// Why: inverted dropout: zero with probability p while training, scale the rest by 1/(1 − p).
import { pyFloat, sameShape } from './common';
import type { LayerDef } from './types';

export const dropout: LayerDef<'dropout'> = {
  kind: 'dropout',
  info: { title: 'Dropout', blurb: 'zero with probability p while training', group: 'Regularisation' },
  defaults: () => ({ rate: 0.5 }),
  fields: [
    { key: 'rate', type: 'number', label: 'Drop rate p', name: 'dropout rate', whole: false, min: 0, max: 1, maxOpen: true, why: ' (1 would drop every unit)' },
  ],
  formulas: () => ({}),
  shape: (_l, at) => sameShape(at),
  tensors: () => [],
  pytorch: (l, a) => [{ suffix: '', ctor: `nn.Dropout(p=${pyFloat(l.rate)})`, shape: a.outShape }],
  // Evaluation mode: dropout passes its input through unchanged.
  onnx: () => [],
};
