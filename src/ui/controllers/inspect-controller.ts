// Why: "look inside" asks the worker for one image's activations and the filters of the built network.
// Requests never pile up: one in flight at a time, and a request asked for meanwhile runs once when it
// returns (so drawing fast, or training live, sends the latest image at most every so often).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { leafLayers, type NetworkSpec } from '../../model';
import type { EngineClient } from '../../worker/engine-client';
import type { DatasetName, ImageSource, LayerActivations } from '../../worker/protocol';
import type { LayerWeights } from '../components/cp-filter-view';

export type InspectSource = { kind: 'test'; index: number } | { kind: 'drawn'; pixels: Uint8Array };

/** Layers whose weights make pictures: every conv layer (up to 4), and a dense layer reading the raw image. */
export function filterLayers(spec: NetworkSpec): { layerId: string; image?: { H: number; W: number } }[] {
  const out: { layerId: string; image?: { H: number; W: number } }[] = [];
  // `first`: no layer that changes the picture came before (flatten and dropout keep the pixels).
  let first = true;
  for (const l of leafLayers(spec.layers)) {
    if (l.kind === 'flatten') continue;
    if (l.kind === 'conv2d') {
      if (out.length < 4) out.push({ layerId: l.id });
      first = false;
    } else if (l.kind === 'dense') {
      if (first && spec.input.C === 1) out.push({ layerId: l.id, image: { H: spec.input.H, W: spec.input.W } });
      first = false;
    } else if (l.kind !== 'dropout') first = false;
  }
  return out;
}

/** How often activations and filters are refreshed while training runs. */
export const LIVE_MS = 1500;

export class InspectController implements ReactiveController {
  source: InspectSource = { kind: 'test', index: 0 };
  probabilities?: Float32Array;
  /** The network's input for the image looked at (normalised 28×28). */
  input?: Float32Array;
  layers: LayerActivations[] = [];
  weights: LayerWeights[] = [];

  readonly #host: ReactiveControllerHost;
  #client?: EngineClient;
  #busy = false;
  #again: { weights: boolean } | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #target: () => { spec: NetworkSpec; dataset: DatasetName } | undefined;

  /** target(): the built network and its dataset, or undefined when nothing is built. */
  constructor(host: ReactiveControllerHost, target: () => { spec: NetworkSpec; dataset: DatasetName } | undefined) {
    this.#host = host;
    this.#target = target;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.live(false);
  }

  attach(client: EngineClient): void {
    this.#client = client;
  }

  setSource(source: InspectSource): void {
    this.source = source;
    void this.refresh({ weights: false });
  }

  /** Refreshes every LIVE_MS while on (training runs). */
  live(on: boolean): void {
    if (on && this.#timer === undefined) this.#timer = setInterval(() => void this.refresh({ weights: true }), LIVE_MS);
    else if (!on && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Forgets the pictures (a new design that is not built yet). */
  clear(): void {
    this.probabilities = undefined;
    this.input = undefined;
    this.layers = [];
    this.weights = [];
    this.#host.requestUpdate();
  }

  async refresh(opts: { weights: boolean } = { weights: true }): Promise<void> {
    if (this.#busy) {
      this.#again = { weights: opts.weights || (this.#again?.weights ?? false) };
      return;
    }
    const client = this.#client;
    const target = this.#target();
    if (!client || !target) return;
    this.#busy = true;
    try {
      const s = this.source;
      const image: ImageSource = s.kind === 'test' ? { kind: 'dataset', dataset: target.dataset, split: 'test', index: s.index } : { kind: 'pixels', pixels: s.pixels.slice() };
      const r = await client.request({ type: 'inspect', image });
      this.probabilities = r.probabilities;
      this.input = r.input;
      this.layers = r.layers;
      if (opts.weights) {
        const weights: LayerWeights[] = [];
        for (const f of filterLayers(target.spec)) {
          const w = await client.request({ type: 'weights', layerId: f.layerId });
          weights.push({ layerId: f.layerId, shape: w.shape, data: w.data, ...(f.image && { image: f.image }) });
        }
        this.weights = weights;
      }
      this.#host.requestUpdate();
    } catch {
      // The network was rebuilt or reset under the request: the next refresh shows the new one.
    } finally {
      this.#busy = false;
      const again = this.#again;
      this.#again = null;
      if (again) void this.refresh(again);
    }
  }
}
