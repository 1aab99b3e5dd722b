// Why: a box holding text that does not parse keeps its last valid value in force. The page says so
// in one voice, next to Train and in the inspector, so it never also says "ready to train" as if all
// were well. The boxes report themselves (cp-drafts); this keeps what they reported, by part of the page.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { allItems, type NetworkSpec } from '../../model';
import type { DesignEvent, InvalidEntry } from '../events';

export class InvalidEntries implements ReactiveController {
  /** By part of the page ("layer:<id>", "input", "train"). */
  #bySource: ReadonlyMap<string, InvalidEntry[]> = new Map();
  readonly #host: ReactiveControllerHost & HTMLElement;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('cp-drafts', this.#onDrafts);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('cp-drafts', this.#onDrafts);
  }

  readonly #onDrafts = (e: Event) => {
    const { source, entries } = (e as DesignEvent<'cp-drafts'>).detail;
    const next = new Map(this.#bySource);
    if (entries.length > 0) next.set(source, entries);
    else next.delete(source);
    this.#bySource = next;
    this.#host.requestUpdate();
  };

  /** The entries of one layer's card. */
  forLayer(id: string): InvalidEntry[] {
    return this.#bySource.get(`layer:${id}`) ?? [];
  }

  /** Entries that do not parse, in the boxes still on the page (a removed layer's card takes its own). */
  list(spec: NetworkSpec): InvalidEntry[] {
    const ids = new Set(allItems(spec.layers).map((l) => l.id));
    return [...this.#bySource].filter(([source]) => !source.startsWith('layer:') || ids.has(source.slice(6))).flatMap(([, e]) => e);
  }
}

/** What the page says about boxes holding entries that do not parse ('' when there are none). */
export function invalidNote(invalid: readonly InvalidEntry[]): string {
  const e = invalid[0];
  if (!e) return '';
  const more = invalid.length > 1 ? ` (${invalid.length - 1} more box${invalid.length > 2 ? 'es' : ''} too)` : '';
  return `${e.label} holds an entry that is not valid${more}: the last valid value, ${e.kept}, stays in force until it is fixed.`;
}
