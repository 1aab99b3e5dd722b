// Why: the "how was this computed?" panels send their own small set of events up to <cp-app>
// (kept apart from events.ts so the explainers stay one self-contained corner of the UI).
import type { CellPosition } from '../../worker/protocol';

export interface ExplainEventDetails {
  /** A cell of a layer's output was clicked (or chosen with the keyboard). */
  'cp-cell-pick': { layerId: string; at: CellPosition };
  /** The explanation panel was closed. */
  'cp-cell-close': Record<string, never>;
  /** Open a test image in the look-inside panels. */
  'cp-test-image': { index: number };
}

export type ExplainEvent<K extends keyof ExplainEventDetails> = CustomEvent<ExplainEventDetails[K]>;

export function emitExplain<K extends keyof ExplainEventDetails>(from: EventTarget, type: K, detail: ExplainEventDetails[K]): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'cp-cell-pick': ExplainEvent<'cp-cell-pick'>;
    'cp-cell-close': ExplainEvent<'cp-cell-close'>;
    'cp-test-image': ExplainEvent<'cp-test-image'>;
  }
}
