// Why: max over F×F windows, stride S: no weights, and the gradient goes to each window's winner.
import { checkPoolFields, POOL_FIELDS, poolAttrs, poolDefaults, poolShape } from './pool-window';
import type { LayerDef } from './types';

export const maxPool: LayerDef<'max-pool'> = {
  kind: 'max-pool',
  info: { title: 'Max pool', blurb: 'max over F×F windows, stride S', group: 'Pooling' },
  defaults: poolDefaults,
  fields: POOL_FIELDS,
  checkFields: checkPoolFields,
  formulas: () => ({ out: 'W′ = (W − F + 2P)/S + 1' }),
  shape: poolShape,
  tensors: () => [],
  pytorch: (l, a) => [{ suffix: '', ctor: `nn.MaxPool2d(kernel_size=${l.F}, stride=${l.S}, padding=${l.P})`, shape: a.outShape }],
  onnx: (l) => [{ op: 'MaxPool', suffix: '', inputs: ['x'], attrs: poolAttrs(l) }],
};
