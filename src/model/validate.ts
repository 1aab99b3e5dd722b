// Why: bad input gets a clear, specific message next to the field it came from: the input's size,
// each layer's fields (by the layer table's definitions), the training settings. The window-fit
// messages ("(7 − 3)/3 + 1 = 2.33, doesn't fit") are in window-fit.ts, the error type in shape-error.ts.
import {
  ACTIVATIONS,
  DATASETS,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  INIT_SCHEMES,
  type InputSpec,
  type LayerSpec,
  type TrainConfig,
} from './spec';
import { fmt } from './format';
import { defOf, LAYERS, type FieldDef, type NumberFieldDef } from './layers';
import { got, isWhole, LAYER_ID_PATTERN, LIMITS, ShapeError } from './shape-error';

export { LIMITS, LAYER_ID_PATTERN, ShapeError, type ShapeErrorInfo } from './shape-error';
export { checkWindowFit, resolveSamePadding, suggestFit, type WindowGeometry } from './window-fit';

/** Field checks for the input: C, H, W whole and within LIMITS. */
export function checkInput(input: InputSpec): ShapeError[] {
  const errors: ShapeError[] = [];
  const dims: [keyof InputSpec, string, number][] = [
    ['C', 'C (input channels)', LIMITS.maxInputChannels],
    ['H', 'H (input height)', LIMITS.maxInputSize],
    ['W', 'W (input width)', LIMITS.maxInputSize],
  ];
  for (const [field, name, max] of dims) {
    const v = input[field];
    if (!isWhole(v) || v < 1 || v > max) {
      errors.push(
        new ShapeError({
          layerId: 'input',
          layerIndex: -1,
          field,
          reason: `${name} must be a whole number from 1 to ${fmt(max)}, got ${got(v)}`,
        }),
      );
    }
  }
  return errors;
}

/** Checks every field of one layer that can be judged without knowing its input shape: each field
 *  by its definition in the layer table, then the kind's checks between fields. */
export function checkLayerFields(layer: LayerSpec, index: number): ShapeError[] {
  const errors: ShapeError[] = [];
  const fail = (field: string, reason: string, suggestion?: string) =>
    errors.push(new ShapeError({ layerId: layer.id, layerIndex: index, field, reason, ...(suggestion ? { suggestion } : {}) }));

  if (typeof layer.id !== 'string' || layer.id.length === 0 || layer.id.length > LIMITS.maxIdLength || !LAYER_ID_PATTERN.test(layer.id)) {
    fail('id', `layer id must be 1–${LIMITS.maxIdLength} letters, digits or _ . : -, got ${got(layer.id)}`);
  }
  if (!Object.hasOwn(LAYERS, layer.kind)) {
    fail('kind', `unknown layer kind ${got((layer as { kind: unknown }).kind)}`);
    return errors;
  }
  const def = defOf(layer);
  const bad = new Set<string>();
  const values = layer as unknown as Record<string, unknown>;
  for (const f of def.fields) {
    const v = values[f.key];
    const reason = fieldProblem(f, v);
    if (reason) {
      bad.add(f.key);
      fail(f.key, reason);
    }
  }
  def.checkFields?.(layer, fail, bad);
  return errors;
}

function fieldProblem(f: FieldDef, v: unknown): string | null {
  switch (f.type) {
    case 'bool':
      return typeof v === 'boolean' ? null : `${f.key} must be true or false, got ${got(v)}`;
    case 'activation':
      return v === undefined || (ACTIVATIONS as readonly unknown[]).includes(v)
        ? null
        : `activation must be one of ${ACTIVATIONS.join(', ')} (or none), got ${got(v)}`;
    case 'number': {
      if (f.words?.includes(v as string) || (v === undefined && f.absent !== undefined)) return null;
      if (f.pair && Array.isArray(v)) {
        if (v.length !== 2) return `${f.name} must be a number or [FH, FW], got ${got(v)}`;
        return numberProblem(f, v[0]) ?? numberProblem(f, v[1]);
      }
      if (f.pair && typeof v !== 'number') return `${f.name} must be a number or [FH, FW], got ${got(v)}`;
      return numberProblem(f, v);
    }
    default:
      return f satisfies never;
  }
}

function numberProblem(f: NumberFieldDef, v: unknown): string | null {
  const words = f.words?.length ? `, ${f.words.map((w) => `'${w}'`).join(' or ')}` : '';
  if (f.whole) {
    if (isWhole(v) && v >= f.min && v <= f.max) return null;
    return `${f.name} must be a whole number from ${fmt(f.min)} to ${fmt(f.max)}${words}, got ${got(v)}`;
  }
  if (typeof v === 'number' && Number.isFinite(v) && (f.minOpen ? v > f.min : v >= f.min) && (f.maxOpen ? v < f.max : v <= f.max)) return null;
  const range = `${f.minOpen ? '(' : '['}${fmt(f.min)}, ${fmt(f.max)}${f.maxOpen ? ')' : ']'}`;
  return `${f.name} must be a number in ${range}${f.why ?? ''}, got ${got(v)}`;
}

/** One problem with one TrainConfig field, for the form that edits it. */
export interface FieldIssue {
  /** Dotted path: 'batch', 'optimizer.lr', 'schedule.minLr'. */
  field: string;
  message: string;
}

/** Checks a TrainConfig; [] when it is good to train with. */
export function validateTrainConfig(cfg: TrainConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const whole = (field: string, name: string, v: unknown, min: number, max: number) => {
    if (!isWhole(v) || v < min || v > max) add(field, `${name} must be a whole number from ${fmt(min)} to ${fmt(max)}, got ${got(v)}`);
  };
  const num = (field: string, name: string, v: unknown, ok: (x: number) => boolean, range: string, optional = true) => {
    if (v === undefined && optional) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) add(field, `${name} must be a number in ${range}, got ${got(v)}`);
  };
  const oneOf = (field: string, name: string, v: unknown, options: readonly string[]) => {
    if (!options.includes(v as string)) add(field, `${name} must be one of ${options.join(', ')}, got ${got(v)}`);
  };

  oneOf('dataset', 'dataset', cfg.dataset, DATASETS);
  whole('batch', 'batch size', cfg.batch, 1, LIMITS.maxBatch);
  whole('epochs', 'epochs', cfg.epochs, 1, LIMITS.maxEpochs);
  whole('seed', 'seed', cfg.seed, 0, LIMITS.maxSeed);
  if (cfg.init !== undefined) oneOf('init', 'initialisation', cfg.init, INIT_SCHEMES);

  const o = cfg.optimizer;
  oneOf('optimizer.kind', 'optimizer', o.kind, OPTIMIZER_KINDS);
  num('optimizer.lr', 'learning rate', o.lr, (x) => x > 0 && x <= LIMITS.maxLr, `(0, ${LIMITS.maxLr}]`, false);
  num('optimizer.momentum', 'momentum', o.momentum, (x) => x >= 0 && x < 1, '[0, 1)');
  if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') add('optimizer.nesterov', `nesterov must be true or false, got ${got(o.nesterov)}`);
  else if (o.nesterov === true && o.kind === 'sgd' && !((o.momentum ?? 0) > 0))
    add('optimizer.nesterov', 'Nesterov momentum needs momentum > 0');
  num('optimizer.beta1', 'beta1', o.beta1, (x) => x >= 0 && x < 1, '[0, 1)');
  num('optimizer.beta2', 'beta2', o.beta2, (x) => x >= 0 && x < 1, '[0, 1)');
  num('optimizer.epsilon', 'epsilon', o.epsilon, (x) => x > 0 && x <= 1, '(0, 1]');
  num('optimizer.weightDecay', 'weight decay', o.weightDecay, (x) => x >= 0 && x <= 1, '[0, 1]');

  const s = cfg.schedule;
  oneOf('schedule.kind', 'schedule', s.kind, SCHEDULE_KINDS);
  if (s.warmupSteps !== undefined) whole('schedule.warmupSteps', 'warm-up steps', s.warmupSteps, 0, LIMITS.maxSteps);
  if (s.stepSize !== undefined) whole('schedule.stepSize', 'step size', s.stepSize, 1, LIMITS.maxSteps);
  num('schedule.gamma', 'gamma', s.gamma, (x) => x > 0 && x <= 1, '(0, 1]');
  num('schedule.minLr', 'minimum learning rate', s.minLr, (x) => x >= 0, '[0, lr]');
  if (typeof s.minLr === 'number' && typeof o.lr === 'number' && s.minLr > o.lr)
    add('schedule.minLr', `minimum learning rate ${fmt(s.minLr)} is above the learning rate ${fmt(o.lr)}`);
  return issues;
}
