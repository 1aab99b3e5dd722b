// Why: the panels that explain one image's numbers (a picked cell's arithmetic, the gradients, the
// test-set browser) share the image the page looks at and the engine client; this holds them and the
// two page events that move the keyboard focus or the view to them, so <cp-app> only routes.
import type { ReactiveControllerHost } from 'lit';
import type { EngineClient } from '../../worker/engine-client';
import type { ExplainEvent } from '../explain/explain-events';
import { ExplainController, imageOf } from './explain-controller';
import { GradientController } from './gradient-controller';
import type { InspectController } from './inspect-controller';
import { TestSetController } from './test-set-controller';
import type { TrainingController } from './training-controller';

export class LookInside {
  readonly explain: ExplainController;
  readonly gradients: GradientController;
  readonly testSet: TestSetController;
  readonly #host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

  constructor(host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment }, training: TrainingController, inspect: InspectController) {
    this.#host = host;
    const image = () => {
      const dataset = training.builtSpec ? training.builtDataset : undefined;
      return dataset && imageOf(inspect.source, dataset);
    };
    this.explain = new ExplainController(host, image);
    this.gradients = new GradientController(host, image);
    this.testSet = new TestSetController(host, () => training.builtDataset);
  }

  attach(client: EngineClient): void {
    this.explain.attach(client);
    this.testSet.attach(client);
    this.gradients.attach(client);
  }

  /** A cell was picked: explain it; picked on a map, the panel takes the keyboard so arrows move the cell. */
  readonly onCellPick = async (e: ExplainEvent<'cp-cell-pick'>) => {
    const fromMaps = e.composedPath().some((n) => n instanceof HTMLElement && n.localName === 'cp-activation-view');
    this.explain.pick(e.detail.layerId, e.detail.at);
    if (!fromMaps) return;
    await this.#host.updateComplete;
    const panel = this.#host.renderRoot.querySelector('cp-cell-explainer');
    await panel?.updateComplete;
    panel?.focusPanel();
    panel?.scrollIntoView({ block: 'nearest' });
  };

  /** From the confusion matrix's list: bring the look-inside panels (and the browser) into view. */
  async testImageShown(e: ExplainEvent<'cp-test-image'>): Promise<void> {
    if (!e.composedPath().some((n) => n instanceof HTMLElement && n.localName === 'cp-confusion-matrix')) return;
    await this.#host.updateComplete;
    this.#host.renderRoot.querySelector('cp-test-browser')?.scrollIntoView({ block: 'center' });
  }
}
