// Why: <cp-app>'s handle on the design. It holds the DesignStore (spec + training config + undo
// history) and keeps the outside world in step with it: the URL hash (share a link, reload), the
// IndexedDB autosave (come back tomorrow), and a notice when a link could not be read.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConvplayDocument } from '../../model';
import { decodeHash, listPresets } from '../../model';
import { IndexedDbDesignStorage, type DesignStorage } from './autosave';
import { DesignStore, type ChangeKind } from './design-store';
import { badLinkNotice, defaultDocument, hashFor, readHash } from './url-state';

/** The bits of `window` the controller uses (a fake in tests). */
export interface DesignWindow {
  readonly location: { hash: string };
  readonly history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

export interface DesignControllerOptions {
  window?: DesignWindow;
  /** null: no autosave. */
  storage?: DesignStorage | null;
  autosaveMs?: number;
}

export class DesignController implements ReactiveController {
  readonly store: DesignStore;
  /** Shown with role=alert when the link could not be read; null otherwise. */
  notice: string | null = null;
  /** Resolves once the autosaved design (if any) has been looked at. */
  readonly restored: Promise<void>;

  readonly #host: ReactiveControllerHost;
  readonly #window: DesignWindow;
  readonly #storage: DesignStorage | null;
  readonly #autosaveMs: number;
  #edited = false;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #resolveRestored!: () => void;
  readonly #onHashChange = () => this.#loadFromHash();

  constructor(host: ReactiveControllerHost, options: DesignControllerOptions = {}) {
    this.#host = host;
    this.#window = options.window ?? window;
    this.#storage = options.storage === undefined ? new IndexedDbDesignStorage() : options.storage;
    this.#autosaveMs = options.autosaveMs ?? 300;
    this.restored = new Promise((r) => (this.#resolveRestored = r));

    const start = readHash(this.#window.location.hash);
    const initial = start.kind === 'ok' ? start.doc : defaultDocument();
    if (start.kind === 'bad') this.notice = badLinkNotice(start.error, 'default');
    this.store = new DesignStore(initial, (kind) => this.#changed(kind));
    if (start.kind !== 'ok') this.#writeHash();
    if (start.kind === 'empty' && this.#storage) void this.#restore(this.#storage);
    else this.#resolveRestored();
    host.addController(this);
  }

  hostConnected(): void {
    this.#window.addEventListener('hashchange', this.#onHashChange);
  }

  hostDisconnected(): void {
    this.#window.removeEventListener('hashchange', this.#onHashChange);
    if (this.#saveTimer !== undefined) {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
      void this.#storage?.save(hashFor(this.store.doc));
    }
  }

  dismissNotice(): void {
    this.notice = null;
    this.#host.requestUpdate();
  }

  async #restore(storage: DesignStorage): Promise<void> {
    try {
      const saved = await storage.load();
      if (saved === null || this.#edited) return;
      const r = decodeHash(saved.startsWith('#') ? saved.slice(1) : saved);
      if (r.ok) this.store.reset(r.value);
    } finally {
      this.#resolveRestored();
    }
  }

  /** The link changed under the page (pasted, back button): follow it as an undoable step. */
  #loadFromHash(): void {
    const h = this.#window.location.hash;
    if (h === hashFor(this.store.doc)) return;
    const s = readHash(h);
    if (s.kind === 'ok') {
      this.notice = null;
      this.store.load(s.doc);
    } else if (s.kind === 'bad') {
      this.notice = badLinkNotice(s.error, 'current');
      this.#writeHash();
      this.#host.requestUpdate();
    }
  }

  #changed(kind: ChangeKind): void {
    this.#host.requestUpdate();
    if (kind === 'select') return;
    this.#edited = true;
    this.#writeHash();
    this.#scheduleSave();
  }

  #writeHash(): void {
    const h = hashFor(this.store.doc);
    if (this.#window.location.hash !== h) this.#window.history.replaceState(null, '', h);
  }

  #scheduleSave(): void {
    const storage = this.#storage;
    if (!storage) return;
    if (this.#saveTimer !== undefined) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void storage.save(hashFor(this.store.doc));
    }, this.#autosaveMs);
  }

  #presetFor: ConvplayDocument | undefined;
  #presetId = '';
  /** The preset the design equals ('' once edited). */
  get presetId(): string {
    const doc = this.store.doc;
    if (this.#presetFor !== doc) {
      this.#presetFor = doc;
      const key = JSON.stringify(doc);
      this.#presetId = listPresets().find((p) => JSON.stringify({ spec: p.spec, train: p.train }) === key)?.id ?? '';
    }
    return this.#presetId;
  }

  /** The document as it stands (for the training panel and exporters). */
  get doc(): ConvplayDocument {
    return this.store.doc;
  }
}
