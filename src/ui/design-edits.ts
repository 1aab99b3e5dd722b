// Why: the designer's events (add, move, nest, remove, change, select a layer; the input; presets;
// empty; undo and redo) become edits of the design store, each said aloud for screen readers. The page
// routes them here so that it stays a mediator.
import { placeOf } from '../model';
import type { DesignController } from './controllers/design-controller';
import type { DataChoice } from './data-choice';
import type { DesignEvent } from './events';

export interface DesignEditsHost {
  readonly design: DesignController;
  readonly dataChoice: DataChoice;
  announce(message: string): void;
}

export class DesignEdits {
  readonly #host: DesignEditsHost;

  constructor(host: DesignEditsHost) {
    this.#host = host;
  }

  get #store() {
    return this.#host.design.store;
  }

  undo(): void {
    if (this.#store.undo()) this.#host.announce('Undone');
  }

  redo(): void {
    if (this.#store.redo()) this.#host.announce('Redone');
  }

  readonly add = (e: DesignEvent<'cp-layer-add'>) => {
    const id = this.#store.addLayer(e.detail.kind, e.detail.index, e.detail.parent ?? null);
    const at = placeOf(this.#store.spec.layers, id);
    if (at) this.#host.announce(`Added ${id} at position ${at.index + 1} of ${at.count}${at.parentId ? ` in block ${at.parentId}` : ''}`);
  };
  readonly move = (e: DesignEvent<'cp-layer-move'>) => void this.#store.moveLayer(e.detail.id, e.detail.to, e.detail.parent);
  readonly nest = (e: DesignEvent<'cp-layer-nest'>) => {
    const to = this.#store.nestLayer(e.detail.id, e.detail.direction);
    if (to !== undefined) this.#host.announce(to === null ? `Moved ${e.detail.id} out of its block` : `Moved ${e.detail.id} into block ${to}`);
    else this.#host.announce(e.detail.direction === 'in' ? `No block just above ${e.detail.id} to move it into` : `${e.detail.id} is not in a block`);
  };
  readonly remove = (e: DesignEvent<'cp-layer-remove'>) => void this.#store.removeLayer(e.detail.id);
  readonly change = (e: DesignEvent<'cp-layer-change'>) => void this.#store.updateLayer(e.detail.id, e.detail.patch, e.detail.field);
  readonly select = (e: DesignEvent<'cp-layer-select'>) => this.#store.select(e.detail.id);
  readonly input = (e: DesignEvent<'cp-input-change'>) => this.#store.setInput(e.detail.field, e.detail.value);
  readonly preset = (e: DesignEvent<'cp-preset'>) => {
    if (this.#store.loadPreset(e.detail.id, this.#host.dataChoice.adaptPreset)) this.#host.announce(`Loaded preset ${e.detail.id}`);
  };
  readonly clear = () => {
    this.#store.clear();
    this.#host.announce('Network emptied');
  };
}
