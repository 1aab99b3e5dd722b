// Why: a dataset descriptor is the one source for the input shape a design must take, the classes its
// loss is over and the normalisation the engine applies. MNIST and Fashion-MNIST are built in; a
// user's own dataset gets its descriptor when it is built in the page. Pure: no DOM, no GPU.
import { classesOf, CLASSES, type Dataset, type InputSpec, type LayerItem, type NetworkSpec } from './spec';

export const MIN_CLASSES = 2;
export const MAX_CLASSES = 100;
/** The square sizes a user's images are resized to. */
export const IMAGE_SIZES: readonly number[] = [28, 32, 48];

export interface DatasetDescriptor {
  id: Dataset;
  /** What the page calls it ("MNIST digits", or the name of the user's folder). */
  name: string;
  /** C×H×W of one image. */
  input: InputSpec;
  /** Index = label. */
  classNames: readonly string[];
  /** Per channel, of pixel/255 over the training split: x = (pixel/255 − mean[c]) / std[c]. */
  mean: readonly number[];
  std: readonly number[];
  trainCount: number;
  testCount: number;
  /** Images per class in each split (index = label), when known. */
  trainPerClass?: readonly number[];
  testPerClass?: readonly number[];
}

/** MNIST's training-set pixel mean and standard deviation (as torchvision uses them). Fashion-MNIST
 *  keeps these too, as it always has here, so its runs and exports stay comparable. */
const MNIST_MEAN = 0.1307;
const MNIST_STD = 0.3081;
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const BUILTIN_DATASETS: Readonly<Record<Exclude<Dataset, 'own'>, DatasetDescriptor>> = {
  mnist: { id: 'mnist', name: 'MNIST digits', input: { C: 1, H: 28, W: 28 }, classNames: DIGITS, mean: [MNIST_MEAN], std: [MNIST_STD], trainCount: 60000, testCount: 10000 },
  'fashion-mnist': { id: 'fashion-mnist', name: 'Fashion-MNIST', input: { C: 1, H: 28, W: 28 }, classNames: FASHION, mean: [MNIST_MEAN], std: [MNIST_STD], trainCount: 60000, testCount: 10000 },
};

/** "3×32×32". */
export function inputText(i: InputSpec): string {
  return `${i.C}×${i.H}×${i.W}`;
}

/** What is wrong with a descriptor, one sentence per problem (none: it can be trained on). */
export function checkDescriptor(d: DatasetDescriptor): string[] {
  const problems: string[] = [];
  const n = d.classNames.length;
  if (n < MIN_CLASSES) problems.push(`${d.name} has ${n} class${n === 1 ? '' : 'es'}; a classifier needs at least ${MIN_CLASSES}`);
  if (n > MAX_CLASSES) problems.push(`${d.name} has ${n} classes; at most ${MAX_CLASSES} are supported`);
  if (new Set(d.classNames).size !== n) problems.push(`${d.name} has two classes with the same name`);
  const { C, H, W } = d.input;
  if (C !== 1 && C !== 3) problems.push(`images must be grey (C = 1) or colour (C = 3), not C = ${C}`);
  if (!(Number.isInteger(H) && Number.isInteger(W) && H >= 4 && W >= 4 && H <= 256 && W <= 256)) problems.push(`image size ${H}×${W} is outside 4…256`);
  if (d.mean.length !== C || d.std.length !== C) problems.push(`normalisation needs one mean and one std per channel (${C})`);
  if (d.std.some((s) => !(s > 0))) problems.push('a channel has a standard deviation of 0 (every pixel the same)');
  if (!(d.trainCount >= 1 && d.testCount >= 1)) problems.push(`both splits need images (train ${d.trainCount}, test ${d.testCount})`);
  return problems;
}

/**
 * Why a design cannot be trained on a dataset, in the user's words, or undefined when it can:
 * "this design expects 1×28×28; your data is 3×32×32".
 */
export function dataMismatch(spec: NetworkSpec, d: DatasetDescriptor): string | undefined {
  const { C, H, W } = spec.input;
  if (C !== d.input.C || H !== d.input.H || W !== d.input.W) {
    return `this design expects ${inputText(spec.input)}; ${d.id === 'own' ? 'your data' : d.name} is ${inputText(d.input)}`;
  }
  const n = d.classNames.length;
  if (classesOf(spec) !== n) return `this design ends in ${classesOf(spec)} class scores; ${d.id === 'own' ? 'your data' : d.name} has ${n} classes`;
  return undefined;
}

/**
 * The design adapted to a dataset: its input becomes the data's C×H×W, its loss covers the data's
 * classes, and its last layer gives that many scores (a dense layer's units, or the K of a conv before
 * a closing global-avg-pool). Other layers stay as they are; shape errors, if any, show as usual.
 */
export function fitSpecToData(spec: NetworkSpec, d: DatasetDescriptor): NetworkSpec {
  const n = d.classNames.length;
  // Shallow copies: only a top-level dense or conv is changed (a block's body is shared, untouched).
  const layers: LayerItem[] = spec.layers.map((l) => ({ ...l }));
  const last = layers.length - 1;
  const lastLayer = layers[last];
  if (lastLayer?.kind === 'dense') lastLayer.units = n;
  else if (lastLayer?.kind === 'global-avg-pool') {
    const before = layers[last - 1];
    if (before?.kind === 'conv2d') before.K = n;
  }
  const fitted: NetworkSpec = { ...spec, input: { ...d.input }, layers };
  // Ten classes are the default: leaving the field out keeps MNIST links exactly as they were.
  if (n === CLASSES) delete fitted.classes;
  else fitted.classes = n;
  return fitted;
}
