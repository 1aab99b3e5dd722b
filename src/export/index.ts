// Why: the one door into export/ (pure TS: no GPU, no DOM; imports model/ only). The worker builds
// checkpoints from its flat buffers; the UI offers the resulting files for download.
export { ImportError, ExportError, type ImportReason, type ImportErrorInfo } from './import-error';
export { encodeSafetensors, decodeSafetensors, MAX_HEADER_BYTES, type SafeTensor, type SafetensorsFile, type Dtype } from './safetensors';
export {
  expectedTensors,
  keySuffix,
  isTrainable,
  tensorId,
  type ExpectedTensor,
  type ParamRole,
  type StateRole,
  type TensorRole,
} from './expected-tensors';
export { toSafetensors, fromSafetensors, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type ParamTensor, type OptimizerMoments } from './checkpoint';
export { gatherTensors, scatterTensors, type FlatSlot } from './flat-buffers';
export { toPyTorch, pyFloat, INPUT_MEAN, INPUT_STD, normText, type ExportData, type PyTorchOptions } from './pytorch';
export { predictionsToSafetensors, predictionsFromSafetensors, PREDICTIONS_FORMAT, type Predictions } from './predictions';
export { moduleNames, pythonIdentifier } from './python-names';
export { toTrainScript, pytorchReadme, type TrainScriptOptions } from './train-script';
export { initialisation, type InitRule } from './initialisation';
export { toOnnx, ONNX_OPSET } from './onnx';
export { zip, crc32, type ZipEntry } from './zip';
export { toIdx, ownDatasetFiles, ownIdxNames, OWN_DATA_DIR, type OwnSplit } from './idx';
