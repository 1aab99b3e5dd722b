// Why: the palette and the cards name each layer kind the way the lecture does, in one place.
import type { LayerKind } from '../model';

export interface LayerInfo {
  title: string;
  /** One line in the lecture's letters. */
  blurb: string;
  group: 'Convolution' | 'Pooling' | 'Activation' | 'Regularisation' | 'Dense';
}

export const LAYER_INFO: Record<LayerKind, LayerInfo> = {
  conv2d: { title: 'Convolution', blurb: 'K filters of F×F, stride S, padding P', group: 'Convolution' },
  'max-pool': { title: 'Max pool', blurb: 'max over F×F windows, stride S', group: 'Pooling' },
  'avg-pool': { title: 'Average pool', blurb: 'mean over F×F windows, stride S', group: 'Pooling' },
  'global-avg-pool': { title: 'Global average pool', blurb: 'C×H×W → C', group: 'Pooling' },
  flatten: { title: 'Flatten', blurb: 'C×H×W → C·H·W', group: 'Dense' },
  relu: { title: 'ReLU', blurb: 'max(0, x)', group: 'Activation' },
  sigmoid: { title: 'Sigmoid', blurb: '1 / (1 + e^−x)', group: 'Activation' },
  tanh: { title: 'Tanh', blurb: 'tanh(x)', group: 'Activation' },
  'leaky-relu': { title: 'Leaky ReLU', blurb: 'max(αx, x)', group: 'Activation' },
  'batch-norm': { title: 'Batch norm', blurb: 'normalise per channel, then γx + β', group: 'Regularisation' },
  dropout: { title: 'Dropout', blurb: 'zero with probability p while training', group: 'Regularisation' },
  dense: { title: 'Dense', blurb: 'fully connected: every input to every unit', group: 'Dense' },
};

export const PALETTE_GROUPS: LayerInfo['group'][] = ['Convolution', 'Pooling', 'Activation', 'Regularisation', 'Dense'];
