// Why: what a layer kind *is*, in one place. Each kind's file (conv2d.ts, dense.ts, …) fills in this
// contract; the table in index.ts is a mapped type over LayerKind, so a kind without a definition, or
// a definition missing a part, does not compile. Parsing, validation, the UI's boxes, shape inference,
// parameter counts, the engine's tensor declarations and the exports all read from it.
import type { InitScheme, LayerKind, LayerOf } from '../spec';
import type { ParamInit } from '../init';
import type { ShapeError } from '../shape-error';
import type { WindowGeometry } from '../window-fit';

/** [C, H, W] for feature maps, [features] for flat vectors (one sample; the batch N is implicit). */
export type Shape = [number, number, number] | [number];

/** The numbers a conv or pool kernel runs with ('same'/'valid' resolved), plus its output size. */
export interface LayerGeometry extends WindowGeometry {
  OH: number;
  OW: number;
}

export interface LayerArithmetic {
  /** "(28 − 3 + 2·1)/1 + 1 = 28" */
  outSize: string;
  /** "32·(3·3·1 + 1) = 320" */
  params: string;
  /** "28·28·32·(3·3·1) = 225,792" */
  macs: string;
}

/** Receptive-field bookkeeping the shape walker threads through the layers. */
export interface RfState {
  r: [number, number];
  j: number;
  /** Spatial size of the current map ([1, 1] once everything has been pooled or densely mixed). */
  map: [number, number];
}

/** What one layer does to the shape: its output, work, memory, arithmetic text. (Parameter counts
 *  derive from `tensors`.) */
export interface Step {
  outShape: Shape;
  /** Multiply-adds per sample, forward pass. */
  macs: number;
  /** Bytes of this layer's f32 output per sample. */
  activationBytes: number;
  arithmetic: LayerArithmetic;
  /** conv2d and pools: resolved F, S, P and the output size. */
  geometry?: LayerGeometry;
  /** dense on a C×H×W input: the flatten is implied. */
  impliedFlatten?: boolean;
  /** A grouped conv: what a plain conv (groups = 1) with the same K and F would cost here. */
  plainConv?: { params: number; macs: number };
}

/** Where a layer sits while shapes are inferred. */
export interface StepAt {
  index: number;
  /** The layer's input shape. */
  cur: Shape;
  rf: RfState;
}

/** Trainable roles (the engine's parameter slots) and running statistics (its state slots). */
export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta';
export type StateRole = 'running-mean' | 'running-var';
export type TensorRole = ParamRole | StateRole;

/** One tensor a layer owns, in PyTorch's layout (conv [K, C/groups, FH, FW], dense [out, in]). */
export type LayerTensor =
  | { role: ParamRole; shape: number[]; trainable: true; init: ParamInit }
  | { role: StateRole; shape: number[]; trainable: false; initial: number };

/** One nn.Module of a layer's PyTorch form: `suffix` '' is the layer's own module (its state-dict
 *  name), others ('_act', '_flatten', '_pool') are helpers named after it. */
export interface PyModule {
  suffix: '' | '_act' | '_flatten' | '_pool';
  ctor: string;
  /** Its output, for the shape comment. */
  shape: number[];
}

/** An ONNX attribute: float, int or ints. */
export type OnnxAttr = { name: string; f: number } | { name: string; i: number } | { name: string; ints: number[] };

/** One ONNX node of a layer (opset 13), named like its PyTorch module (`suffix` as there). It reads
 *  the previous node's output ('x') and this layer's tensors by role (initializers). */
export interface OnnxNode {
  op: string;
  suffix: PyModule['suffix'];
  inputs: ('x' | TensorRole)[];
  attrs?: OnnxAttr[];
}

/** What an analysed layer's PyTorch form needs to know. */
export interface Analysed {
  inShape: Shape;
  outShape: Shape;
  geometry?: LayerGeometry;
}

/** A box of numbers (also a number field of the JSON): bounds shared by parser, validator and UI. */
export interface NumberFieldDef {
  key: string;
  type: 'number';
  /** The box's accessible name: "Filters K". */
  label: string;
  /** How messages name it: "K (number of filters)". */
  name: string;
  whole: boolean;
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  /** Appended to the range in messages: " (1 would drop every unit)". */
  why?: string;
  /** Words also accepted ('same', 'valid'). */
  words?: readonly string[];
  /** [FH, FW] accepted besides one number. */
  pair?: boolean;
  /** May be absent from a layer (older documents); then it has this value. */
  absent?: number;
}
export type FieldDef = NumberFieldDef | { key: 'bias'; type: 'bool' } | { key: 'activation'; type: 'activation' };

export type FailFn = (field: string, reason: string, suggestion?: string) => void;

export interface LayerInfo {
  title: string;
  /** Where space is tight (under a volume in the drawing); the title when absent. */
  short?: string;
  /** One line in the lecture's letters. */
  blurb: string;
  group: 'Convolution' | 'Pooling' | 'Activation' | 'Regularisation' | 'Dense';
}

export interface LayerDef<K extends LayerKind> {
  kind: K;
  info: LayerInfo;
  /** A new layer's fields (teaching-friendly). */
  defaults: () => Omit<LayerOf<K>, 'id' | 'kind'>;
  /** In card order; every key of the layer but id and kind. */
  fields: readonly FieldDef[];
  /** Checks between fields, once each field alone is fine (`bad` holds those that are not). */
  checkFields?: (layer: LayerOf<K>, fail: FailFn, bad: ReadonlySet<string>) => void;
  /** The inspector's general formulas. */
  formulas: (layer: LayerOf<K>) => { out?: string; params?: string };
  shape: (layer: LayerOf<K>, at: StepAt) => Step | ShapeError;
  /** Its tensors, in the order the engine declares and draws them. */
  tensors: (layer: LayerOf<K>, inShape: Shape, scheme: InitScheme) => LayerTensor[];
  pytorch: (layer: LayerOf<K>, a: Analysed) => PyModule[];
  /** In evaluation mode ([] = the identity). */
  onnx: (layer: LayerOf<K>, a: Analysed) => OnnxNode[];
}

export type LayerTable = { [K in LayerKind]: LayerDef<K> };
