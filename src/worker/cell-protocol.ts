// Why: what the page asks to see "how this value was computed" and what the worker answers: for one
// cell of one layer, exactly the numbers the engine used (window, weights, bias, value). The page only
// draws them; it never recomputes a layer. Re-exported by protocol.ts (the one contract).

/** A cell of a layer's output: channel c, row y, column x; a flat layer uses c = unit, y = x = 0. */
export interface CellPosition {
  c: number;
  y: number;
  x: number;
}

/** A rectangle of input-image pixels, inclusive ([y0, y1] × [x0, x1]). */
export interface PixelBox {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

export type CellActivationKind = 'relu' | 'leaky-relu' | 'sigmoid' | 'tanh';

/** A fused activation field applied after the layer's own arithmetic (conv2d / dense with `activation`). */
export interface FusedActivation {
  kind: CellActivationKind;
  alpha: number;
  /** The engine's output after the activation (the value the activation view shows). */
  after: number;
}

interface CellBase {
  layerId: string;
  at: CellPosition;
  /** The layer's output at this cell, as the engine computed it (what the map shows). */
  value: number;
  /** The layer's input and output shapes (per image). */
  inShape: number[];
  outShape: number[];
  /** The input-image pixels this cell depends on (clipped to the image). */
  receptiveField: PixelBox;
  /** The network's input for this image [C, H, W] (normalised), to outline the receptive field on. */
  image: Float32Array;
  imageShape: [number, number, number];
}

/** One input channel's share of a convolution cell. All arrays are FH·FW long, row-major. */
export interface ConvChannelTaps {
  /** The input values under the filter taps (0 where the tap falls on padding). */
  window: Float32Array;
  /** 1 where the tap falls on padding (outside the input map). */
  padding: Uint8Array;
  weights: Float32Array;
  /** window · weights, element-wise. */
  products: Float64Array;
  /** Σ products of this channel. */
  sum: number;
}

export interface ConvCell extends CellBase {
  kind: 'conv2d';
  geometry: { C: number; H: number; W: number; K: number; FH: number; FW: number; S: number; PH: number; PW: number; dilation: number; OH: number; OW: number };
  /** Input coordinates of the top-left tap (may be negative: padding). Tap (fy, fx) is at
   *  (iy0 + fy·dilation, ix0 + fx·dilation). */
  iy0: number;
  ix0: number;
  channels: ConvChannelTaps[];
  bias: number;
  /** Σ channel sums + bias, in float64 from the engine's f32 inputs. */
  total: number;
  /** The engine's convolution output before any fused activation. */
  preActivation: number;
  activation?: FusedActivation;
  /** The layer's input maps [C, H, W] (the page draws the window on them). */
  input: Float32Array;
}

export interface PoolCell extends CellBase {
  kind: 'max-pool' | 'avg-pool' | 'global-avg-pool';
  F: number;
  FW: number;
  S: number;
  P: number;
  iy0: number;
  ix0: number;
  window: Float32Array;
  padding: Uint8Array;
  /** Max: the winning tap (first maximum, row-major). */
  argmax?: number;
  /** Max: the largest value; average: Σ window / (F·FW) (padding counts as 0, PyTorch's default). */
  result: number;
  /** The input map of this cell's channel [H, W]. */
  inputMap: Float32Array;
}

export interface ActivationCell extends CellBase {
  kind: 'activation';
  fn: CellActivationKind;
  alpha: number;
  before: number;
  after: number;
}

export interface DenseContribution {
  /** Input feature index (and its C, H, W position when the input is a map). */
  i: number;
  where?: CellPosition;
  w: number;
  x: number;
  product: number;
}

/** softmax and the loss for the output layer: logits → exp → sum → probabilities → −log p(label). */
export interface SoftmaxExplanation {
  logits: Float32Array;
  /** exp(logit − max logit) (shifted for stability, as the engine does). */
  exps: Float64Array;
  maxLogit: number;
  sumExp: number;
  /** exps / sumExp (float64, from the engine's logits). */
  probabilities: Float64Array;
  /** The engine's softmax output, for comparison. */
  engineProbabilities: Float32Array;
  label?: number;
  /** −log p(label). */
  loss?: number;
}

export interface DenseCell extends CellBase {
  kind: 'dense';
  inFeatures: number;
  /** The largest |w·x| first (at most 12). */
  top: DenseContribution[];
  /** Σ of all inFeatures products, and of those not in `top`. */
  sumProducts: number;
  restSum: number;
  bias: number;
  total: number;
  preActivation: number;
  activation?: FusedActivation;
  softmax?: SoftmaxExplanation;
}

export interface BatchNormCell extends CellBase {
  kind: 'batch-norm';
  x: number;
  runningMean: number;
  runningVar: number;
  epsilon: number;
  momentum: number;
  gamma: number;
  beta: number;
  /** (x − running mean)/√(running var + ε). */
  normalised: number;
  /** γ·normalised + β. */
  total: number;
}

/** flatten and dropout (evaluation): the value is the input value at `from`. */
export interface PassCell extends CellBase {
  kind: 'flatten' | 'dropout';
  from: CellPosition;
}

/** A residual block's sum y = body + shortcut at one cell (then the block's ReLU, when it has one). */
export interface ResidualSumCell extends CellBase {
  kind: 'add';
  /** The body's output at this cell, and the layer that made it. */
  body: number;
  bodyFrom: string;
  /** The shortcut's value at this cell: the block's input (identity) or the projection's output. */
  shortcut: number;
  shortcutFrom: string;
  projection: boolean;
  /** body + shortcut, as the engine summed it (before the ReLU). */
  sum: number;
  activation?: FusedActivation;
}

export type CellExplanation = ConvCell | PoolCell | ActivationCell | DenseCell | BatchNormCell | PassCell | ResidualSumCell;

/** min, max and mean |value| of a tensor (the vanishing / exploding check). */
export interface TensorStats {
  min: number;
  max: number;
  meanAbs: number;
}

/** One layer in the gradient view, for one image: its output, dLoss/d(output) and its weights. */
export interface LayerGradient {
  layerId: string;
  kind: string;
  /** Per-image output shape ([C, H, W] or [F]). */
  shape: number[];
  /** dLoss/d(this layer's output) for the image. */
  grad: Float32Array;
  activation: TensorStats;
  gradient: TensorStats;
  /** Layers with weights: the weights and dLoss/dW (shape [K, C, FH, FW] or [units, in]). */
  weight?: TensorStats;
  weightShape?: number[];
  weightGrad?: Float32Array;
  weightGradStats?: TensorStats;
  /** ReLU outputs (a relu layer, or a conv/dense with a ReLU field): the share that is exactly 0. */
  deadRelu?: number;
}

export interface GradientReport {
  /** The class the loss was taken against (the label, or the prediction for a drawing). */
  target: number;
  targetIsLabel: boolean;
  loss: number;
  layers: LayerGradient[];
}

/** Batch norm in both modes for one image and one channel: a training-mode pass over a batch (the image
 *  and its neighbours in the test set) next to the evaluation-mode pass of the image alone. */
export interface BatchNormModes {
  layerId: string;
  at: CellPosition;
  /** Images in the training-mode batch (the selected one first). */
  batch: number;
  /** This channel's mean and (biased) variance over the batch: what training mode normalises with. */
  batchMean: number;
  batchVar: number;
  /** The running averages: what evaluation mode normalises with. */
  runningMean: number;
  runningVar: number;
  gamma: number;
  beta: number;
  epsilon: number;
  /** The engine's batch-norm output at the cell in each mode. */
  trainValue: number;
  evalValue: number;
  /** The network's class probabilities for the image in each mode. */
  trainProbabilities: Float32Array;
  evalProbabilities: Float32Array;
}
