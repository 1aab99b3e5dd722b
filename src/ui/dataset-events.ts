// Why: the dataset builder's events, kept apart from the design's (events.ts) so the builder is one
// self-contained piece: files chosen, an option changed, an action asked for.
import type { ImportFile, ImportOptions } from '../worker/protocol';

export type DatasetAction = 'cancel' | 'export' | 'delete' | 'use';

export interface DatasetEventDetails {
  'cp-dataset-files': { files: ImportFile[] };
  'cp-dataset-option': { patch: Partial<ImportOptions> };
  'cp-dataset-action': { action: DatasetAction };
}

export type DatasetEvent<K extends keyof DatasetEventDetails> = CustomEvent<DatasetEventDetails[K]>;

export function emitDataset<K extends keyof DatasetEventDetails>(from: EventTarget, type: K, detail: DatasetEventDetails[K]): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
