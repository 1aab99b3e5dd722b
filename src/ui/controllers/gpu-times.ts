// Why: the summary's "GPU ms / step" column: each layer's GPU time, measured by the worker once per
// build after training started (between two groups of steps), and forgotten when the network is rebuilt.
import type { LayerGpuTime } from '../../worker/protocol';
import type { CommandQueue } from './command-queue';

export interface GpuTimes {
  method: 'timestamps' | 'submit';
  layers: LayerGpuTime[];
}

export class GpuTimesAsk {
  value?: GpuTimes;
  #asked = false;

  /** A new build: nothing measured yet. */
  reset(): void {
    this.value = undefined;
    this.#asked = false;
  }

  /** Asks once per build; `current` says whether the answer still belongs to the network built now. */
  askOnce(commands: CommandQueue, current: () => boolean, changed: () => void): void {
    if (this.#asked) return;
    this.#asked = true;
    commands
      .exclusive((c) => c.request({ type: 'layer-times' }))
      .then((r) => {
        if (!current()) return;
        this.value = { method: r.method, layers: r.layers };
        changed();
      })
      // A column that could not be measured stays away; training is not affected.
      .catch(() => undefined);
  }
}
