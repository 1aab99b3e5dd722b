// Why: Ctrl/Cmd+Z undoes a design edit anywhere on the page, Ctrl+Shift+Z or Ctrl+Y redoes it.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class UndoKeys implements ReactiveController {
  readonly #undo: () => void;
  readonly #redo: () => void;

  constructor(host: ReactiveControllerHost, undo: () => void, redo: () => void) {
    this.#undo = undo;
    this.#redo = redo;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.#keydown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.#keydown);
  }

  readonly #keydown = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      this.#undo();
    } else if ((key === 'z' && e.shiftKey) || key === 'y') {
      e.preventDefault();
      this.#redo();
    }
  };
}
