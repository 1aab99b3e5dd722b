// Why: the learning curve is the first thing a learner watches. Chart.js draws the training loss per
// step (raw and smoothed), the test loss and accuracy per epoch, earlier runs for comparison, and a
// vertical marker where a setting changed mid-run. A diverged stretch is a shaded band with its losses
// marked along the top, never plotted: one loss of 1e32 would flatten the whole healthy curve; for the
// same reason a few outliers are clipped (marked ▲) and a log scale is one click away.
// The chart is created once (firstUpdated), fed only
// the new points on each update, and destroyed when the element leaves the page. The canvas is an
// image with a label that says the latest numbers, for screen readers and tests.
import {
  Chart,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DivergedStretch, Marker, RunData } from '../controllers/training-controller';
import { panel } from '../styles/shared';
import { CHANCE_LOSS, chanceLossPlugin } from '../explain/chance-loss-plugin';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

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
    // Changes at the same step (e.g. up to lr 10, then back down after the rollback) share one label.
    const byStep = new Map<number, string[]>();
    for (const m of markers) byStep.set(m.step, [...(byStep.get(m.step) ?? []), m.label]);
    for (const m of [...byStep].map(([step, labels]) => ({ step, label: labels.join(', then ') }))) {
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

/** Shaded bands where a run diverged (the worker went back to `from`), its losses as ▲ along the top. */
const divergedPlugin: Plugin<'line', { stretches?: DivergedStretch[]; clipAbove?: number | null; clipped?: XY[] }> = {
  id: 'cpDiverged',
  afterDatasetsDraw(chart, _args, options) {
    const x = chart.scales['x'];
    const area = chart.chartArea;
    if (!x || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = '11px system-ui, sans-serif';
    const tri = (px: number, color: string) => {
      if (px < area.left || px > area.right) return;
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px - 4, area.top + 7);
      ctx.lineTo(px + 4, area.top + 7);
      ctx.closePath();
      ctx.fill();
    };
    for (const s of options.stretches ?? []) {
      const left = Math.max(area.left, x.getPixelForValue(s.from));
      const right = Math.min(area.right, Math.max(x.getPixelForValue(s.to), left + 6));
      if (right < area.left || left > area.right) continue;
      ctx.fillStyle = 'rgba(201, 42, 42, 0.12)';
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      for (const p of s.points) tri(x.getPixelForValue(p.step), '#c92a2a');
      const worst = s.points.reduce((m, p) => (Number.isFinite(p.loss) ? Math.max(m, p.loss) : Infinity), 0);
      // Three significant digits, as the worker's message words it.
      const loss = !Number.isFinite(worst) ? String(worst) : worst >= 1e4 ? worst.toExponential(2) : String(Number(worst.toPrecision(3)));
      // The longest wording that fits the chart (a phone's is narrow).
      const labels = [`diverged at step ${s.to}${s.points.length ? ` (loss up to ${loss})` : ''}: back to step ${s.from}`, `diverged at step ${s.to}: back to step ${s.from}`, `diverged: back to ${s.from}`];
      const label = labels.find((l) => ctx.measureText(l).width <= area.right - area.left - 4) ?? labels.at(-1)!;
      ctx.fillStyle = '#8a1c1c';
      const w = ctx.measureText(label).width;
      // At the bottom: the top holds the setting-change labels.
      ctx.fillText(label, Math.max(area.left + 2, Math.min(left + 3, area.right - w - 2)), area.bottom - 6);
    }
    for (const p of options.clipped ?? []) tri(x.getPixelForValue(p.x), '#5c6270');
    ctx.restore();
  },
};

/**
 * The y-axis top that keeps the bulk of the curve readable: when a few losses are far above the rest
 * (more than 4× the 95th percentile), clip at 1.5× that percentile; otherwise null (fit everything).
 */
export function clipLimit(values: readonly number[]): number | null {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 5) return null;
  const p95 = finite[Math.min(finite.length - 1, Math.floor(finite.length * 0.95))]!;
  return finite[finite.length - 1]! > 4 * p95 && p95 > 0 ? 1.5 * p95 : null;
}

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
      .wrap { position: relative; height: var(--cp-chart-height, 280px); }
      .head { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
      .head label { font-size: 0.8rem; display: flex; gap: 4px; align-items: center; color: var(--cp-muted, #5c6270); }
      canvas { width: 100%; height: 100%; }
      /* Under the chart, not over it: on a laptop the plot is too short to hold a message. */
      .empty { margin: 4px 0 0; text-align: center; font-size: 0.75rem; color: var(--cp-muted, #5c6270); }
    `,
  ];

  @property({ attribute: false }) run?: RunData;
  @property({ attribute: false }) archive: RunData[] = [];
  /** Bumped by the controller whenever the curves changed. */
  @property({ type: Number }) revision = 0;
  /** Classes of the dataset (the chance line sits at ln classes). */
  @property({ type: Number }) classes = 10;
  /** Loss axis on a log scale (shows a wide range of losses at once). */
  @state() private logScale = false;
  #clipAbove: number | null = null;

  #chart?: Chart<'line', XY[]>;
  /** Which run each dataset shows, and what it plots. */
  #sources: { run: RunData; what: 'raw' | 'smooth' | 'testLoss' | 'testAcc' }[] = [];

  override render() {
    return html`<section class="panel" aria-label="Loss chart">
      <div class="head"><h2>Learning curves</h2>
        <label><input type="checkbox" aria-label="Log scale" .checked=${this.logScale}
          @change=${(e: Event) => (this.logScale = (e.target as HTMLInputElement).checked)} /> Log scale</label></div>
      <div class="wrap">
        <canvas role="img" aria-label=${this.#summary()} data-step=${this.#last()?.step ?? 0}
          data-diverged=${this.run?.diverged.map((d) => `${d.from}-${d.to}`).join('; ') ?? ''} data-y-max=${this.#yMax()}
          data-first-loss=${this.run?.points[0]?.loss ?? ''} data-chance-loss=${(this.classes === 10 ? CHANCE_LOSS : Math.log(this.classes)).toFixed(3)} data-last-loss=${this.#last()?.smooth ?? ''}
          data-markers=${this.run?.markers.map((m) => `${m.step}: ${m.label}`).join('; ') ?? ''}></canvas>
      </div>
      ${this.#last() || this.archive.length ? nothing : html`<p class="empty">Press Train: the loss of every step appears here, then the test accuracy after each epoch.</p>`}
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
    if (!run || !last) return `Training loss chart: step 0, no training yet${run?.diverged.length ? `; diverged at step ${run.diverged.at(-1)!.to}, went back to step 0` : ''}${earlier}`;
    const first = run.points[0]!;
    const ev = run.evals[run.evals.length - 1];
    return `Training loss chart: step ${last.step}, loss ${fmtNum(last.loss)} (smoothed ${fmtNum(last.smooth)}), first loss ${fmtNum(first.loss)}` +
      (ev ? `; after epoch ${ev.epoch + 1}: test loss ${fmtNum(ev.loss)}, test accuracy ${(ev.accuracy * 100).toFixed(1)}%` : '') +
      (run.markers.length ? `; ${run.markers.length} setting change${run.markers.length === 1 ? '' : 's'} marked` : '') +
      run.diverged.map((d) => `; diverged at step ${d.to}, went back to step ${d.from} (its losses marked, not plotted)`).join('') +
      (this.#clipAbove !== null && !this.logScale ? `; losses above ${fmtNum(this.#clipAbove)} clipped` : '') + earlier;
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
          x: { type: 'linear', title: { display: true, text: 'step' }, min: 0, suggestedMax: 10, ticks: { precision: 0 } },
          y: { type: 'linear', title: { display: true, text: 'loss' }, min: 0, suggestedMax: 2.5 },
          // A short title: the legend names the series, and a laptop's chart is only ~150 px tall.
          acc: { type: 'linear', position: 'right', min: 0, max: 1, title: { display: true, text: 'accuracy' }, grid: { drawOnChartArea: false },
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
          cpDiverged: { stretches: [], clipped: [] },
        },
      },
      plugins: [markerPlugin as unknown as Plugin<'line'>, divergedPlugin as unknown as Plugin<'line'>, chanceLossPlugin(() => this.classes)],
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
    const plugins = chart.options.plugins as { cpMarkers: { markers: Marker[] }; cpDiverged: { stretches: DivergedStretch[]; clipped: XY[] } };
    plugins.cpMarkers.markers = [...run.markers];
    plugins.cpDiverged.stretches = [...run.diverged];
    // The x-axis reaches the end of a thrown-away stretch, so its band shows even before training resumes.
    const lastDiverged = Math.max(0, ...run.diverged.map((d) => d.to));
    chart.options.scales!['x'] = { ...chart.options.scales!['x'], suggestedMax: lastDiverged > 0 ? lastDiverged : undefined } as NonNullable<typeof chart.options.scales>['x'];
    this.#scaleY(chart);
    chart.update('none');
  }

  /** Linear with outliers clipped (and marked), or logarithmic. */
  #scaleY(chart: Chart<'line', XY[]>): void {
    const lossSets = chart.data.datasets.filter((d) => d.yAxisID === 'y');
    const values = lossSets.flatMap((d) => d.data.map((p) => p.y));
    const clip = this.logScale ? null : clipLimit(values);
    // The label and data-y-max say what is clipped: render again when that changed.
    if (clip !== this.#clipAbove) {
      this.#clipAbove = clip;
      this.requestUpdate();
    }
    if (this.logScale) {
      chart.options.scales!['y'] = { type: 'logarithmic', title: { display: true, text: 'loss (log scale)' } };
    } else {
      // suggestedMax as at creation: the ln 10 chance line stays in view before the first loss arrives.
      chart.options.scales!['y'] = { type: 'linear', title: { display: true, text: 'loss' }, min: 0, suggestedMax: 2.5, ...(clip !== null && { max: clip }) };
    }
    const plugins = chart.options.plugins as { cpDiverged: { clipped: XY[] } };
    plugins.cpDiverged.clipped = clip === null ? [] : lossSets.flatMap((d) => d.data.filter((p) => p.y > clip));
  }

  #yMax(): string {
    return this.#clipAbove === null ? '' : String(this.#clipAbove);
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
