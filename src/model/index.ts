// Why: the one door into model/. The UI, the worker and the exporters import from here, so the
// files behind it can be reorganised without touching them.
export * from './spec';
export * from './new-layer';
export { pyFloat } from './layers/common';
export { LAYERS, hasActivation, layerTensors, defOf, type LayerDef, type FieldDef, type NumberFieldDef, type LayerInfo, type LayerTensor, type TensorRole, type ParamRole, type StateRole, type PyModule, type OnnxAttr, type OnnxNode } from './layers';
export * from './shapes';
export * from './residual';
export * from './layer-tree';
export {
  LIMITS,
  LAYER_ID_PATTERN,
  ShapeError,
  type ShapeErrorInfo,
  type FieldIssue,
  type WindowGeometry,
  validateTrainConfig,
  checkInput,
  checkLayerFields,
} from './validate';
export * from './presets';
export * from './init';
export * from './serialize';
export { fmt, windowEquation, windowOut, dilated } from './format';
export * from './datasets';
export * from './dataset-split';
