// Why: the palette and the cards name each layer kind the way the lecture does; the names live in the
// layer table (model/layers/), this is the UI's view of them.
import { LAYER_KINDS, LAYERS, type LayerInfo, type LayerKind } from '../model';

export type { LayerInfo };

export const LAYER_INFO = Object.fromEntries(LAYER_KINDS.map((k) => [k, LAYERS[k].info])) as Record<LayerKind, LayerInfo>;

export const PALETTE_GROUPS: LayerInfo['group'][] = ['Convolution', 'Pooling', 'Activation', 'Regularisation', 'Dense'];
