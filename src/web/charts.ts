import type { SyncRun } from '../store/sync-runs.ts';
import { stageMs } from './durations.ts';

/** The charts of a store page, by the name their URL carries (/toko/:id/grafik/<kind>.svg). */
export const CHART_KINDS = ['size', 'restore', 'rows'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** Over how long the charts look back. */
export const CHART_DAYS = 90;

/** Drawn for a 390 px phone (scaled down or up by the page's CSS: the SVG has a viewBox). */
const WIDTH = 360;
const HEIGHT = 220;
const MB = 1_048_576;

/** One value of a successful run for a chart, or null when the run did not record it. */
const VALUE: Record<ChartKind, (run: SyncRun) => number | null> = {
  size: (r) => (r.bytes === null ? null : Math.round((r.bytes / MB) * 10) / 10),
  restore: (r) => {
    const ms = stageMs(r.stages.find((s) => s.name === 'restore'));
    return ms === null ? null : Math.round(ms / 100) / 10;
  },
  rows: (r) => r.rowCount,
};

export interface ChartText {
  title: string;
  /** The label of a run on the x axis (its day in the store's zone). */
  label: (at: Date) => string;
  empty: string;
  /** A number on the value axis, written as the reader's language writes numbers. */
  number: (n: number) => string;
}

/**
 * A line chart of one value of the store's successful runs, as an SVG document drawn by Apache
 * ECharts' server-side renderer (no canvas, no native build). ECharts is imported here, on the
 * first chart asked for, so that a service whose store pages nobody opens never loads it.
 */
export async function chartSvg(kind: ChartKind, runs: SyncRun[], text: ChartText): Promise<string> {
  const points = runs.map((r) => [text.label(r.startedAt), VALUE[kind](r)] as const).filter((p): p is readonly [string, number] => p[1] !== null);
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      title: { text: text.title, left: 4, top: 2, textStyle: { fontSize: 13, fontWeight: 'bold' } },
      grid: { left: 8, right: 12, top: 34, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: points.map((p) => p[0]), axisLabel: { fontSize: 11, hideOverlap: true } },
      yAxis: { type: 'value', scale: kind === 'rows', axisLabel: { fontSize: 11, formatter: (n: number) => text.number(n) } },
      series: [{ type: 'line', data: points.map((p) => p[1]), symbolSize: 5, lineStyle: { width: 2 }, color: '#1565c0' }],
      ...(points.length ? {} : { graphic: { type: 'text', left: 'center', top: 'middle', style: { text: text.empty, fontSize: 13, fill: '#5b6475' } } }),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose(); // else ECharts keeps a timer that holds the process open
  }
}
