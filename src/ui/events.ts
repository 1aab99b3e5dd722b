// Why: the designer's children never change the design themselves; they send these typed events up to
// <cp-app>, which applies them (with undo) and hands the new state back down as properties. One map
// of event names to details keeps both sides honest under TypeScript strict.
import type { Activation, InputSpec, LayerKind, ResidualShortcut, TrainConfig } from '../model';

/** A change to some of one layer's fields. `activation: null` removes a fused activation. */
export interface LayerPatch {
  K?: number;
  F?: number | [number, number];
  S?: number;
  P?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
  activation?: Activation | null;
  alpha?: number;
  momentum?: number;
  epsilon?: number;
  rate?: number;
  units?: number;
  /** Residual blocks: identity or 1×1 projection shortcut, ReLU after the sum. */
  shortcut?: ResidualShortcut;
  relu?: boolean;
}
export type LayerField = keyof LayerPatch;

export interface DesignEventDetails {
  /** Add a new layer of `kind` (or a residual block) at `index` (the end when absent) of the list
   *  `parent` names (a block's body; the network's list when absent or null). */
  'cp-layer-add': { kind: LayerKind | 'residual'; index?: number; parent?: string | null };
  /** Move layer `id` so that it ends up at position `to` (0-based, in the list without it) of the
   *  list `parent` names (its own list when absent; null: the network's). */
  'cp-layer-move': { id: string; to: number; parent?: string | null };
  'cp-layer-remove': { id: string };
  /** Keyboard: move item `id` into the block above it ('in') or out of its block ('out'). */
  'cp-layer-nest': { id: string; direction: 'in' | 'out' };
  /** `field` names the edited field, so that typing "32" is one undo step, not two. */
  'cp-layer-change': { id: string; field: LayerField; patch: LayerPatch };
  'cp-layer-select': { id: string };
  'cp-input-change': { field: keyof InputSpec; value: number };
  'cp-preset': { id: string };
  'cp-clear': Record<string, never>;
  'cp-undo': Record<string, never>;
  'cp-redo': Record<string, never>;
  /** Keyboard actions tell the page what happened, for the screen-reader announcement. */
  'cp-announce': { message: string };
  /** A new training config (already valid); `key` merges typing in one box into one undo step. */
  'cp-train-config': { train: TrainConfig; key: string };
  /** How many training images a run uses (null: all); UI-only, sent with build. */
  'cp-train-subset': { subset: number | null };
  'cp-train-action': { action: TrainAction };
  /** Look at this test image (index into the test set). */
  'cp-inspect-pick': { index: number };
  /** The draw pad's 28×28 bytes (0 = background), MNIST-centred; null when cleared. */
  'cp-inspect-draw': { pixels: Uint8Array | null };
  /** A confusion-matrix cell: true class `actual`, predicted `predicted`. */
  'cp-confusion-pick': { actual: number; predicted: number };
  /** Save weights, export model.py, export the test-set predictions. */
  'cp-file-action': { action: FileAction };
  /** A .safetensors file chosen (file picker or dropped on the page) to load. */
  'cp-file-load': { file: File };
  /** Whether Save weights includes the optimizer's moments. */
  'cp-file-option': { includeOptimizer: boolean };
  /**
   * The boxes of one part of the page (`source`: "layer:<id>", "input", "train") that hold an entry
   * that does not parse: the page says, next to Train and in the inspector, that the last valid value
   * stays in force until they are fixed.
   */
  'cp-drafts': { source: string; entries: InvalidEntry[] };
}
export type FileAction = 'save' | 'export-pytorch' | 'export-onnx' | 'export-predictions';
/** A box whose text does not parse: its label ("fc1 Units"), why, and the last valid value in force. */
export interface InvalidEntry {
  label: string;
  message: string;
  kept: string;
}
export type TrainAction = 'train' | 'pause' | 'step' | 'reset';
export type DesignEventName = keyof DesignEventDetails;
export type DesignEvent<K extends DesignEventName> = CustomEvent<DesignEventDetails[K]>;

/** Sends a design event up through shadow roots (bubbles, composed). */
export function emit<K extends DesignEventName>(from: EventTarget, type: K, detail: DesignEventDetails[K]): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'cp-layer-add': DesignEvent<'cp-layer-add'>;
    'cp-layer-move': DesignEvent<'cp-layer-move'>;
    'cp-layer-remove': DesignEvent<'cp-layer-remove'>;
    'cp-layer-change': DesignEvent<'cp-layer-change'>;
    'cp-layer-select': DesignEvent<'cp-layer-select'>;
    'cp-input-change': DesignEvent<'cp-input-change'>;
    'cp-preset': DesignEvent<'cp-preset'>;
    'cp-clear': DesignEvent<'cp-clear'>;
    'cp-undo': DesignEvent<'cp-undo'>;
    'cp-redo': DesignEvent<'cp-redo'>;
    'cp-announce': DesignEvent<'cp-announce'>;
    'cp-train-config': DesignEvent<'cp-train-config'>;
    'cp-train-subset': DesignEvent<'cp-train-subset'>;
    'cp-train-action': DesignEvent<'cp-train-action'>;
    'cp-inspect-pick': DesignEvent<'cp-inspect-pick'>;
    'cp-inspect-draw': DesignEvent<'cp-inspect-draw'>;
    'cp-confusion-pick': DesignEvent<'cp-confusion-pick'>;
    'cp-file-action': DesignEvent<'cp-file-action'>;
    'cp-file-load': DesignEvent<'cp-file-load'>;
    'cp-file-option': DesignEvent<'cp-file-option'>;
    'cp-drafts': DesignEvent<'cp-drafts'>;
  }
}
