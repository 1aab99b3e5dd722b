// Why: the learning curve is the first thing a learner watches. Chart.js draws the training loss per
// step (raw and smoothed), the test loss and accuracy per epoch, earlier runs for comparison, and a
// vertical marker where a setting changed mid-run. The chart is created once (firstUpdated), fed only
// the new points on each update, and destroyed when the element leaves the page. The canvas is an
// image with a label that says the latest numbers, for screen readers and tests.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Marker, RunData } from '../controllers/training-controller';
import { panel } from '../styles/shared';
import { CHANCE_LOSS, chanceLossPlugin } from '../explain/chance-loss-plugin';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

type XY = { x: number; y: number };
type LineSet = ChartDataset<'line', XY[]>;

const COLORS = { raw: 'rgba(59, 91, 219, 0.25)', smooth: '#3b5bdb', testLoss: '#e8590c', testAcc: '#2b8a3e' };
const OLD = ['#868e96', '#ae3ec9', '#1098ad', '#f59f00', '#5c940d'];

/** Vertical lines with a label where the learning rate (or another setting) changed. */
const markerPlugin: Plugin<'line', { markers?: Marker[] }> = {
  id: 'cpMarkers',
  afterDatasetsDraw(chart, _args, options) {
    const markers = options.markers ?? [];
    const x = chart.scales['x'];
    const area = chart.chartArea;
    if (!x || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#c92a2a';
    ctx.fillStyle = '#c92a2a';
    ctx.setLineDash([4, 3]);
    ctx.font = '11px system-ui, sans-serif';
    for (const m of markers) {
      const px = x.getPixelForValue(m.step);
      if (px < area.left || px > area.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.fillText(m.label, Math.min(px + 3, area.right - ctx.measureText(m.label).width), area.top + 10);
    }
    ctx.restore();
  },
};

function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

@customElement('cp-loss-chart')
export class CpLossChart extends LitElement {
  static override styles = [
    panel,
    css`
      :host { display: block; }
      .wrap { position: relative; height: 280px; }
      canvas { width: 100%; height: 100%; }
    `,
  ];

  @property({ attribute: false }) run?: RunData;
  @property({ attribute: false }) archive: RunData[] = [];
  /** Bumped by the controller whenever the curves changed. */
  @property({ type: Number }) revision = 0;

  #chart?: Chart<'line', XY[]>;
  /** Which run each dataset shows, and what it plots. */
  #sources: { run: RunData; what: 'raw' | 'smooth' | 'testLoss' | 'testAcc' }[] = [];

  override render() {
    return html`<section class="panel" aria-label="Loss chart">
      <h2>Learning curves</h2>
      <div class="wrap">
        <canvas role="img" aria-label=${this.#summary()} data-step=${this.#last()?.step ?? 0}
          data-first-loss=${this.run?.points[0]?.loss ?? ''} data-chance-loss=${CHANCE_LOSS.toFixed(3)} data-last-loss=${this.#last()?.smooth ?? ''}
          data-markers=${this.run?.markers.map((m) => `${m.step}: ${m.label}`).join('; ') ?? ''}></canvas>
      </div>
    </section>`;
  }

  #last() {
    const p = this.run?.points;
    return p && p.length > 0 ? p[p.length - 1] : undefined;
  }

  #summary(): string {
    const last = this.#last();
    const run = this.run;
    const earlier = this.archive.length ? `; ${this.archive.length} earlier run${this.archive.length === 1 ? '' : 's'} shown` : '';
    if (!run || !last) return `Training loss chart: step 0, no training yet${earlier}`;
    const first = run.points[0]!;
    const ev = run.evals[run.evals.length - 1];
    return `Training loss chart: step ${last.step}, loss ${fmtNum(last.loss)} (smoothed ${fmtNum(last.smooth)}), first loss ${fmtNum(first.loss)}` +
      (ev ? `; after epoch ${ev.epoch + 1}: test loss ${fmtNum(ev.loss)}, test accuracy ${(ev.accuracy * 100).toFixed(1)}%` : '') +
      (run.markers.length ? `; ${run.markers.length} setting change${run.markers.length === 1 ? '' : 's'} marked` : '') + earlier;
  }

  protected override firstUpdated(): void {
    const canvas = this.renderRoot.querySelector('canvas')!;
    this.#chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, min: 0 },
          y: { type: 'linear', title: { display: true, text: 'loss' }, min: 0, suggestedMax: 2.5 },
          acc: { type: 'linear', position: 'right', min: 0, max: 1, title: { display: true, text: 'test accuracy' }, grid: { drawOnChartArea: false },
            ticks: { callback: (v) => `${Math.round(Number(v) * 100)}%` } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? `step ${items[0].parsed.x}` : ''),
              label: (item) => {
                const y = item.parsed.y ?? NaN;
                return `${item.dataset.label}: ${item.dataset.yAxisID === 'acc' ? `${(y * 100).toFixed(1)}%` : fmtNum(y)}`;
              },
            },
          },
          // @ts-expect-error: our own plugin's options
          cpMarkers: { markers: [] },
        },
      },
      plugins: [markerPlugin as unknown as Plugin<'line'>, chanceLossPlugin],
    });
    this.#sync();
  }

  protected override updated(): void {
    this.#sync();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#chart?.destroy();
    this.#chart = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the canvas is still there, build the chart again.
    if (this.hasUpdated && !this.#chart) this.firstUpdated();
  }

  /** Rebuilds the dataset list when the runs changed, then appends the points each dataset lacks. */
  #sync(): void {
    const chart = this.#chart;
    const run = this.run;
    if (!chart || !run) return;
    const wanted: { run: RunData; what: 'raw' | 'smooth' | 'testLoss' | 'testAcc' }[] = [
      ...this.archive.map((r) => ({ run: r, what: 'smooth' as const })),
      { run, what: 'raw' }, { run, what: 'smooth' }, { run, what: 'testLoss' }, { run, what: 'testAcc' },
    ];
    const same = wanted.length === this.#sources.length && wanted.every((w, i) => w.run === this.#sources[i]!.run && w.what === this.#sources[i]!.what);
    if (!same) {
      const hidden = new Map(chart.data.datasets.map((d, i) => [d.label, !chart.isDatasetVisible(i)]));
      this.#sources = wanted;
      chart.data.datasets = wanted.map((w, i) => this.#dataset(w.run, w.what, i));
      chart.data.datasets.forEach((d, i) => {
        if (hidden.get(d.label)) chart.setDatasetVisibility(i, false);
      });
    }
    this.#sources.forEach((s, i) => {
      const ds = chart.data.datasets[i]!;
      const src = s.what === 'raw' || s.what === 'smooth' ? s.run.points : s.run.evals;
      if (ds.data.length > src.length) ds.data.length = 0;
      for (let k = ds.data.length; k < src.length; k++) {
        const p = src[k]!;
        if (s.what === 'raw' || s.what === 'smooth') {
          const c = p as RunData['points'][number];
          ds.data.push({ x: c.step, y: s.what === 'raw' ? c.loss : c.smooth });
        } else {
          const e = p as RunData['evals'][number];
          ds.data.push({ x: e.step, y: s.what === 'testLoss' ? e.loss : e.accuracy });
        }
      }
    });
    (chart.options.plugins as { cpMarkers: { markers: Marker[] } }).cpMarkers.markers = [...run.markers];
    chart.update('none');
  }

  #dataset(run: RunData, what: 'raw' | 'smooth' | 'testLoss' | 'testAcc', index: number): LineSet {
    const current = run === this.run;
    // A lone point (after one Step) is drawn as a dot; a line needs no dots.
    const base = { data: [] as XY[], pointRadius: (c: { dataset: { data: unknown[] } }) => (c.dataset.data.length < 2 ? 3 : 0), borderWidth: 1.5, yAxisID: 'y' };
    if (!current) {
      const color = OLD[index % OLD.length]!;
      return { ...base, label: `${run.label} (smoothed)`, borderColor: color, backgroundColor: color, borderDash: [5, 4] };
    }
    switch (what) {
      case 'raw':
        return { ...base, label: 'training loss', borderColor: COLORS.raw, backgroundColor: COLORS.raw, borderWidth: 1 };
      case 'smooth':
        return { ...base, label: 'training loss (smoothed)', borderColor: COLORS.smooth, backgroundColor: COLORS.smooth, borderWidth: 2 };
      case 'testLoss':
        return { ...base, label: 'test loss (per epoch)', borderColor: COLORS.testLoss, backgroundColor: COLORS.testLoss, pointRadius: 4 };
      case 'testAcc':
        return { ...base, label: 'test accuracy (per epoch)', borderColor: COLORS.testAcc, backgroundColor: COLORS.testAcc, pointRadius: 4, yAxisID: 'acc' };
      default:
        return what satisfies never;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-loss-chart': CpLossChart;
  }
}
