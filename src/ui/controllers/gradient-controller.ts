// Why: the gradient view costs a batch-1 backward pass, so it is asked for only while its panel is
// open: once when opened, then after every inspection the page receives (another image, a step, the
// live refresh while training), the same rhythm as the activation maps. One request in flight.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EngineClient } from '../../worker/engine-client';
import type { GradientReport, ImageSource } from '../../worker/protocol';

export class GradientController implements ReactiveController {
  open = false;
  report?: GradientReport;
  error = '';
  readonly #host: ReactiveControllerHost;
  readonly #image: () => ImageSource | undefined;
  #client?: EngineClient;
  #unlisten?: () => void;
  #busy = false;
  #again = false;

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
    this.#unlisten = client.listen((e) => {
      if (e.type === 'inspected' && this.open) void this.refresh();
    });
  }

  toggle(open: boolean): void {
    this.open = open;
    if (!open) this.report = undefined;
    this.#host.requestUpdate();
    if (open) void this.refresh();
  }

  async refresh(): Promise<void> {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    const client = this.#client;
    const image = this.#image();
    if (!client || !image || !this.open) return;
    this.#busy = true;
    try {
      const r = await client.request({ type: 'gradients', image });
      if (this.open) this.report = r.report;
      this.error = '';
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.#busy = false;
      this.#host.requestUpdate();
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    }
  }
}
