// Why: the dataset builder's events, kept apart from the design's (events.ts) so the builder is one
// self-contained piece: files chosen, an option changed, an action asked for.
import type { ImportFile, ImportOptions } from '../worker/protocol';

export type DatasetAction = 'cancel' | 'export' | 'delete' | 'use' | 'build-drawings' | 'clear-drawings';

export interface DatasetEventDetails {
  'cp-dataset-files': { files: ImportFile[] };
  'cp-dataset-option': { patch: Partial<ImportOptions> };
  'cp-dataset-action': { action: DatasetAction };
  /** A 28×28 drawing (0 = background) to add to a class. */
  'cp-dataset-drawing': { className: string; pixels: Uint8Array };
}

export type DatasetEvent<K extends keyof DatasetEventDetails> = CustomEvent<DatasetEventDetails[K]>;

export function emitDataset<K extends keyof DatasetEventDetails>(from: EventTarget, type: K, detail: DatasetEventDetails[K]): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
