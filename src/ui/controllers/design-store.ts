// Why: every edit of the design goes through here: add, move, remove, change a field, load a preset,
// undo, redo. Documents are immutable snapshots (a new object per edit), so undo is a list of them
// and Lit sees a new property value on every change. No DOM here, so the logic is unit-tested alone.
import {
  allItems,
  analyzeNetwork,
  editItem,
  editList,
  findItem,
  BUILTIN_DATASETS,
  dataMismatch,
  inputText,
  type DatasetDescriptor,
  getPreset,
  hasActivation,
  LAYERS,
  isBlock,
  listOf,
  moveItem,
  newBlock,
  placeOf,
  removeItem,
  newLayer,
  PRESET_IDS,
  uniqueLayerId,
  validateTrainConfig,
  type ConvplayDocument,
  type InputSpec,
  type LayerItem,
  type LayerKind,
  type LayerSpec,
  type NetworkAnalysis,
  type PresetId,
  type TrainConfig,
} from '../../model';
import type { LayerField, LayerPatch } from '../events';
import { History } from './history';

/** The descriptor of the dataset a config trains on: built in, or the user's (null: none stored,
 *  undefined: not known yet). */
export function datasetFor(dataset: TrainConfig['dataset'], own: DatasetDescriptor | null | undefined): DatasetDescriptor | null | undefined {
  return dataset === 'own' ? own : BUILTIN_DATASETS[dataset];
}

export interface Readiness {
  ok: boolean;
  /** Why training is off, in one sentence (empty when ok). */
  reason: string;
}

/** Can this design be trained? The network must fit, take the data's C×H×W and end in its classes,
 *  and the config must be valid. `own`: the user's dataset (null: none; undefined: still loading). */
export function trainReadiness(doc: ConvplayDocument, analysis: NetworkAnalysis, own?: DatasetDescriptor | null): Readiness {
  const first = analysis.error;
  if (first) {
    const where = first.layerIndex < 0 ? 'Input' : first.layerId ? `Layer ${first.layerIndex + 1} (${first.layerId})` : 'Network';
    return { ok: false, reason: `${where}: ${first.reason}${first.suggestion ? ` (fix: ${first.suggestion})` : ''}.` };
  }
  const data = datasetFor(doc.train.dataset, own);
  if (data === null) return { ok: false, reason: 'There is no dataset of your own images yet: build one under "Your images", or pick MNIST.' };
  if (data === undefined) return { ok: false, reason: 'Your images are still loading from the browser’s storage.' };
  const mismatch = dataMismatch(doc.spec, data);
  if (mismatch) {
    const how = data.id === 'own' ? 'press "Fit the design to the data"' : `set C = ${data.input.C}, H = ${data.input.H}, W = ${data.input.W} and end in ${data.classNames.length} class scores`;
    return { ok: false, reason: `Training on ${data.name} (${inputText(data.input)}, ${data.classNames.length} classes): ${mismatch}; ${how}.` };
  }
  const issues = validateTrainConfig(doc.train);
  if (issues.length > 0) return { ok: false, reason: `Training settings: ${issues[0]!.message}.` };
  return { ok: true, reason: '' };
}

/** Applies a patch to a layer, touching only fields that kind has (a stray key would make the
 *  document unreadable by parseDocument). */
export function applyPatch<T extends LayerItem>(layer: T, patch: LayerPatch): T {
  const next: Record<string, unknown> = { ...layer };
  const fields = isBlock(layer) ? [] : LAYERS[layer.kind].fields;
  const activationAllowed = !isBlock(layer) && hasActivation(layer.kind);
  for (const [k, v] of Object.entries(patch) as [LayerField, unknown][]) {
    if (k === 'activation') {
      if (!activationAllowed) continue;
      if (v === null || v === undefined) delete next['activation'];
      else next['activation'] = v;
    } else if ((Object.hasOwn(layer, k) || fields.some((f) => f.key === k)) && v !== undefined) {
      next[k] = v;
    }
  }
  return next as unknown as T;
}

export type ChangeKind = 'edit' | 'select' | 'history' | 'load';

export class DesignStore {
  #history: History<ConvplayDocument>;
  #analysis: NetworkAnalysis;
  #analyzed: ConvplayDocument;
  #selectedId: string | null = null;
  /** The user's dataset as the worker reported it (null: none stored; undefined: not known yet). */
  ownData?: DatasetDescriptor | null;
  readonly #onChange: (kind: ChangeKind) => void;

  constructor(initial: ConvplayDocument, onChange: (kind: ChangeKind) => void = () => {}, options: { now?: () => number } = {}) {
    this.#history = new History(initial, options);
    this.#analyzed = initial;
    this.#analysis = analyzeNetwork(initial.spec);
    this.#onChange = onChange;
  }

  get doc(): ConvplayDocument {
    return this.#history.present;
  }
  get spec() {
    return this.doc.spec;
  }
  get train(): TrainConfig {
    return this.doc.train;
  }
  /** analyzeNetwork(spec), computed once per document. */
  get analysis(): NetworkAnalysis {
    if (this.#analyzed !== this.doc) {
      this.#analyzed = this.doc;
      this.#analysis = analyzeNetwork(this.doc.spec);
    }
    return this.#analysis;
  }
  get readiness(): Readiness {
    return trainReadiness(this.doc, this.analysis, this.ownData);
  }
  get designValid(): boolean {
    return this.readiness.ok;
  }
  get canUndo(): boolean {
    return this.#history.canUndo;
  }
  get canRedo(): boolean {
    return this.#history.canRedo;
  }
  get selectedId(): string | null {
    return this.#selectedId;
  }
  /** The selected layer (undefined when a block or nothing is selected). */
  get selectedLayer(): LayerSpec | undefined {
    const item = this.selectedItem;
    return item && !isBlock(item) ? item : undefined;
  }
  get selectedItem(): LayerItem | undefined {
    return this.#selectedId === null ? undefined : findItem(this.spec.layers, this.#selectedId);
  }

  select(id: string | null): void {
    if (id !== null && !findItem(this.spec.layers, id)) return;
    if (id === this.#selectedId) return;
    this.#selectedId = id;
    this.#onChange('select');
  }

  #commit(layers: LayerItem[], key?: string, input = this.spec.input): void {
    this.#history.push({ spec: { ...this.spec, input, layers }, train: this.train }, key);
    this.#fixSelection();
    this.#onChange('edit');
  }

  #fixSelection(): void {
    if (this.#selectedId !== null && !findItem(this.spec.layers, this.#selectedId)) this.#selectedId = null;
  }

  /** Adds a layer of `kind` (or an empty residual block) at `index` (default: the end) of the list
   *  `parent` names (a block's body; null: the network's), selects it and returns its id. */
  addLayer(kind: LayerKind | 'residual', index?: number, parent: string | null = null): string {
    const list = listOf(this.spec.layers, parent);
    if (!list) return '';
    const id = uniqueLayerId(kind as LayerKind, allItems(this.spec.layers).map((l) => l.id));
    const item = kind === 'residual' ? newBlock(id) : newLayer(kind, id);
    const at = Math.max(0, Math.min(list.length, Math.trunc(index ?? list.length)));
    this.#selectedId = id;
    this.#commit(editList(this.spec.layers, parent, (l) => (l.splice(at, 0, item), l)));
    return id;
  }

  /** Moves item `id` to position `to` of the list `parent` names (its own list when undefined; null:
   *  the network's), clamped. Returns false when nothing moved (or it cannot: a block into itself). */
  moveLayer(id: string, to: number, parent?: string | null): boolean {
    const place = placeOf(this.spec.layers, id);
    if (!place) return false;
    const layers = moveItem(this.spec.layers, id, parent === undefined ? place.parentId : parent, to);
    if (!layers) return false;
    this.#commit(layers);
    return true;
  }

  /**
   * The keyboard's way into and out of blocks: 'in' moves item `id` to the end of the block just
   * above it; 'out' moves it out of its block, just after that block. Returns where it went (the
   * block's id, or null for the network's list), or undefined when it cannot move that way.
   */
  nestLayer(id: string, direction: 'in' | 'out'): string | null | undefined {
    const place = placeOf(this.spec.layers, id);
    if (!place) return undefined;
    if (direction === 'in') {
      const above = listOf(this.spec.layers, place.parentId)![place.index - 1];
      if (!above || !isBlock(above)) return undefined;
      return this.moveLayer(id, above.body.length, above.id) ? above.id : undefined;
    }
    if (place.parentId === null) return undefined;
    const block = placeOf(this.spec.layers, place.parentId)!;
    return this.moveLayer(id, block.index + 1, block.parentId) ? block.parentId : undefined;
  }

  removeLayer(id: string): boolean {
    if (!findItem(this.spec.layers, id)) return false;
    this.#commit(removeItem(this.spec.layers, id));
    return true;
  }

  updateLayer(id: string, patch: LayerPatch, field?: LayerField): boolean {
    if (!findItem(this.spec.layers, id)) return false;
    this.#commit(editItem(this.spec.layers, id, (item) => applyPatch(item, patch)), field ? `${id}.${field}` : undefined);
    return true;
  }

  setInput(field: keyof InputSpec, value: number): void {
    if (this.spec.input[field] === value) return;
    this.#commit(this.spec.layers, `input.${field}`, { ...this.spec.input, [field]: value });
  }

  setTrain(train: TrainConfig, key?: string): void {
    this.#history.push({ spec: this.spec, train }, key);
    this.#onChange('edit');
  }

  /** Replaces the design (a preset, a link, a file) as one undoable step. */
  load(doc: ConvplayDocument): void {
    this.#history.push(doc);
    this.#fixSelection();
    this.#onChange('load');
  }

  /** Replaces the design and forgets the history (restoring a saved session). */
  reset(doc: ConvplayDocument): void {
    this.#history.reset(doc);
    this.#fixSelection();
    this.#onChange('load');
  }

  /** Loads a preset; `adapt` may fit it to the dataset in use (one undoable step either way). */
  loadPreset(id: string, adapt: (doc: ConvplayDocument) => ConvplayDocument = (d) => d): boolean {
    if (!(PRESET_IDS as readonly string[]).includes(id)) return false;
    const p = getPreset(id as PresetId);
    this.#selectedId = null;
    this.load(adapt({ spec: p.spec, train: p.train }));
    return true;
  }

  /** Trains on `data` from now on, the design fitted to it (input, classes, last layer): one undoable step. */
  useDataset(data: DatasetDescriptor, fit: (spec: ConvplayDocument['spec']) => ConvplayDocument['spec']): void {
    this.load({ spec: fit(this.spec), train: { ...this.train, dataset: data.id } });
  }

  /** The empty network (same input, same training settings). */
  clear(): void {
    this.#selectedId = null;
    this.#commit([]);
  }

  undo(): boolean {
    if (!this.#history.undo()) return false;
    this.#fixSelection();
    this.#onChange('history');
    return true;
  }

  redo(): boolean {
    if (!this.#history.redo()) return false;
    this.#fixSelection();
    this.#onChange('history');
    return true;
  }
}
