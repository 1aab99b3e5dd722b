// Why: keeps the explanation of the picked cell in step with what the activation view shows. It asks
// the worker ("explain-cell") whenever a cell is picked and again after every inspection the page
// receives (another image, a training step, live refreshes while training), so the arithmetic on
// screen always belongs to the maps on screen. One request in flight; the latest wish wins.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EngineClient } from '../../worker/engine-client';
import type { BatchNormModes, CellExplanation, CellPosition, DatasetName, ImageSource } from '../../worker/protocol';
import type { InspectSource } from './inspect-controller';

/** The worker's name for the image the look-inside panels show. */
export function imageOf(source: InspectSource, dataset: DatasetName): ImageSource {
  return source.kind === 'test' ? { kind: 'dataset', dataset, split: 'test', index: source.index } : { kind: 'pixels', pixels: source.pixels.slice() };
}

export class ExplainController implements ReactiveController {
  /** The picked cell (kept while its explanation loads or fails). */
  target?: { layerId: string; at: CellPosition };
  cell?: CellExplanation;
  /** The picked batch-norm cell in training and evaluation mode (after "compare"). */
  modes?: BatchNormModes;
  modesError = '';
  error = '';
  readonly #host: ReactiveControllerHost;
  readonly #image: () => ImageSource | undefined;
  #client?: EngineClient;
  #unlisten?: () => void;
  #busy = false;
  #again = false;

  /** image(): the image the look-inside panels show (undefined when nothing is built). */
  constructor(host: ReactiveControllerHost, image: () => ImageSource | undefined) {
    this.#host = host;
    this.#image = image;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#unlisten?.();
  }

  attach(client: EngineClient): void {
    this.#unlisten?.();
    this.#client = client;
    // Every inspection (new image, step, reset, live refresh) re-explains the picked cell.
    this.#unlisten = client.listen((e) => {
      if (e.type === 'inspected' && this.target) void this.refresh();
    });
  }

  pick(layerId: string, at: CellPosition): void {
    this.target = { layerId, at };
    this.modes = undefined;
    this.modesError = '';
    this.error = '';
    this.#host.requestUpdate();
    void this.refresh();
  }

  /** Runs the picked batch-norm cell's image in training mode (in a batch) and in evaluation mode. */
  async compareModes(): Promise<void> {
    const client = this.#client;
    const image = this.#image();
    const target = this.target;
    if (!client || !image || !target) return;
    this.modesError = '';
    try {
      const r = await client.request({ type: 'batch-norm-modes', image, layerId: target.layerId, at: target.at });
      if (this.target === target) this.modes = r.modes;
    } catch (e) {
      if (this.target === target) this.modesError = e instanceof Error ? e.message : String(e);
    } finally {
      this.#host.requestUpdate();
    }
  }

  close(): void {
    this.modes = undefined;
    this.target = undefined;
    this.cell = undefined;
    this.error = '';
    this.#host.requestUpdate();
  }

  async refresh(): Promise<void> {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    const client = this.#client;
    const image = this.#image();
    const target = this.target;
    if (!client || !image || !target) return;
    this.#busy = true;
    try {
      const r = await client.request({ type: 'explain-cell', image, layerId: target.layerId, at: target.at });
      if (this.target === target) {
        this.cell = r.cell;
        this.error = '';
      }
    } catch (e) {
      if (this.target === target) {
        this.cell = undefined;
        this.error = e instanceof Error ? e.message : String(e);
      }
    } finally {
      this.#busy = false;
      this.#host.requestUpdate();
      if (this.#again || this.target !== target) {
        this.#again = false;
        void this.refresh();
      }
    }
  }
}
