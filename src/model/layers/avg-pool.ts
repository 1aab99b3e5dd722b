// Why: mean over F×F windows, stride S; padded cells count as zeros (PyTorch's count_include_pad).
import { checkPoolFields, POOL_FIELDS, poolAttrs, poolDefaults, poolShape } from './pool-window';
import type { LayerDef } from './types';

export const avgPool: LayerDef<'avg-pool'> = {
  kind: 'avg-pool',
  info: { title: 'Average pool', blurb: 'mean over F×F windows, stride S', group: 'Pooling' },
  defaults: poolDefaults,
  fields: POOL_FIELDS,
  checkFields: checkPoolFields,
  formulas: () => ({ out: 'W′ = (W − F + 2P)/S + 1' }),
  shape: poolShape,
  tensors: () => [],
  pytorch: (l, a) => [
    { suffix: '', ctor: `nn.AvgPool2d(kernel_size=${l.F}, stride=${l.S}, padding=${l.P}, count_include_pad=True)`, shape: a.outShape },
  ],
  onnx: (l) => [{ op: 'AveragePool', suffix: '', inputs: ['x'], attrs: [...poolAttrs(l), { name: 'count_include_pad', i: 1 }] }],
};
