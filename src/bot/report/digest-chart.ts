import { number } from '../../i18n/format-number.ts';
import { formatDay } from '../../i18n/format-time.ts';
import type { Lang } from '../../i18n/lang.ts';
import { reportText } from '../../i18n/report-text.ts';
import { zoneClock } from '../../i18n/zone-clock.ts';
import type { Digest, DigestPoint, DigestSubject } from '../../pipeline/reports/digest.ts';

/** One colour per subject, told apart also in print; red is kept for failures. */
export const SUBJECT_COLOURS = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#8d6e63', '#558b2f', '#ad1457', '#283593', '#f9a825'] as const;
export const FAILURE_COLOUR = '#d32f2f';

const WIDTH = 720;
/** Without the legend, whose rows are added below (one per few subjects). */
const BASE_HEIGHT = 390;
const LEGEND_ROW = 22;
const MB = 1_048_576;
const HOUR = 3_600_000;
/** A longer period (not made today) is still drawn, at most this many columns. */
const MAX_BUCKETS = 62;
/** Past this, a name is cut in the legend so that the legend stays a few rows. */
const MAX_LABEL = 28;
/** A daily chart names every third hour: 24 would not fit under each other's column. */
const HOURS_LABELLED = 3;
/** Largest over smallest size past which the size axis is logarithmic. */
const LOG_RATIO = 50;

/** The columns of the chart: the hours of a day, the days of a week, from the period's start. */
function buckets(d: Digest): { step: number; count: number } {
  const step = d.period === 'day' ? HOUR : 24 * HOUR;
  return { step, count: Math.min(MAX_BUCKETS, Math.max(1, Math.ceil((d.to.getTime() - d.from.getTime()) / step))) };
}

function bucketLabel(d: Digest, start: Date, lang: Lang, step: number): string {
  if (d.period === 'week') return formatDay(new Date(start.getTime() + step / 2), d.timeZone, lang);
  try {
    return `${String(zoneClock(start, d.timeZone).hour).padStart(2, '0')}:00`;
  } catch {
    return `${String(start.getUTCHours()).padStart(2, '0')}:00`;
  }
}

/** Each subject's name once in the legend: a second subject of the same name gets its store or a number. */
function labels(subjects: DigestSubject[]): string[] {
  const seen = new Set<string>();
  return subjects.map((s) => {
    const base = s.name.length > MAX_LABEL ? `${s.name.slice(0, MAX_LABEL - 1)}…` : s.name;
    let label = base;
    for (let i = 2; seen.has(label); i++) label = `${base} (${i})`;
    seen.add(label);
    return label;
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Per column: the newest successful run's size (MB) and the longest run's duration (minutes). */
function series(s: DigestSubject, d: Digest, step: number, count: number) {
  const size: (number | null)[] = Array(count).fill(null);
  const minutes: (number | null)[] = Array(count).fill(null);
  const failed = new Set<number>();
  const column = (p: DigestPoint) => Math.min(count - 1, Math.max(0, Math.floor((p.at.getTime() - d.from.getTime()) / step)));
  for (const p of s.points) {
    const i = column(p);
    if (!p.ok) failed.add(i);
    if (p.ok && p.bytes !== null) size[i] = round1(p.bytes / MB);
    if (p.durationMs !== null) minutes[i] = Math.max(minutes[i] ?? 0, round1(p.durationMs / 60_000));
  }
  return { size, minutes, failed };
}

/** About how many rows the legend takes at the bottom (ECharts wraps it), to keep room for it. */
function legendRows(names: string[]): number {
  const widths = names.map((n) => 36 + n.length * 7);
  let rows = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > WIDTH - 40 && used > 0) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

/**
 * The digest's chart as an SVG document, by Apache ECharts' server-side renderer: backup sizes
 * (MB) above, durations (minutes) below, one line per subject over the hours of a day or the
 * days of a week; failed runs are red triangles on the size panel. ECharts escapes the names it
 * writes into the SVG (they come from config and agents); it is imported on the first chart.
 */
export async function digestChartSvg(d: Digest, lang: Lang): Promise<string> {
  const { step, count } = buckets(d);
  const columns = Array.from({ length: count }, (_, i) => bucketLabel(d, new Date(d.from.getTime() + i * step), lang, step));
  const names = labels(d.subjects);
  const data = d.subjects.map((s) => series(s, d, step, count));
  const failedLabel = reportText(lang, 'chartFailed');
  const sizes = data.flatMap((x) => x.size).filter((v): v is number => v !== null && v > 0);
  // Sizes from kilobytes to gigabytes on one linear axis would flatten the small ones to the floor.
  const log = sizes.length > 0 && Math.max(...sizes) / Math.min(...sizes) > LOG_RATIO;
  const floor = sizes.length ? Math.min(...sizes) : 0;
  const failures = data.flatMap((x) => [...x.failed].map((i) => [i, x.size[i] ?? lastKnown(x.size, i) ?? floor] as [number, number]));
  const legend = failures.length ? [...names, failedLabel] : names;
  const height = BASE_HEIGHT + legendRows(legend) * LEGEND_ROW;
  const empty = d.subjects.every((s) => s.points.length === 0);
  const axisLabel = { fontSize: 11, formatter: (n: number) => number(n, lang) };
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption({
      animation: false,
      color: [...SUBJECT_COLOURS],
      textStyle: { fontFamily: 'Roboto, sans-serif' },
      title: [
        { text: reportText(lang, log ? 'chartSizeLog' : 'chartSize'), left: 8, top: 6, textStyle: { fontSize: 13, fontWeight: 'bold' } },
        { text: reportText(lang, 'chartDuration'), left: 8, top: 222, textStyle: { fontSize: 13, fontWeight: 'bold' } },
      ],
      legend: { data: legend, bottom: 6, left: 20, right: 20, itemWidth: 18, itemHeight: 10, textStyle: { fontSize: 11 } },
      grid: [
        { left: 56, right: 16, top: 34, height: 160 },
        { left: 56, right: 16, top: 250, height: 100 },
      ],
      xAxis: [0, 1].map((g) => ({ type: 'category', gridIndex: g, data: columns, axisLabel: { fontSize: 10, interval: d.period === 'day' ? HOURS_LABELLED - 1 : 0, hideOverlap: true } })),
      yAxis: [{ type: log ? 'log' : 'value', gridIndex: 0, axisLabel }, { type: 'value', gridIndex: 1, axisLabel }],
      series: [
        ...data.flatMap((x, k) => {
          const colour = SUBJECT_COLOURS[k % SUBJECT_COLOURS.length];
          const line = { type: 'line', name: names[k], connectNulls: true, showSymbol: true, symbolSize: 6, lineStyle: { width: 2 }, itemStyle: { color: colour }, color: colour };
          return [{ ...line, xAxisIndex: 0, yAxisIndex: 0, data: x.size }, { ...line, xAxisIndex: 1, yAxisIndex: 1, data: x.minutes }];
        }),
        ...(failures.length ? [{ type: 'scatter', name: failedLabel, xAxisIndex: 0, yAxisIndex: 0, symbol: 'triangle', symbolSize: 13, itemStyle: { color: FAILURE_COLOUR }, color: FAILURE_COLOUR, data: failures, z: 5 }] : []),
      ],
      ...(empty ? { graphic: { type: 'text', left: 'center', top: 110, style: { text: reportText(lang, 'chartEmpty'), fontSize: 14, fill: '#5b6475' } } } : {}),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose(); // else ECharts keeps a timer that holds the process open
  }
}

/** Where a failure's triangle sits: the subject's size before it, else after it, else undefined. */
function lastKnown(values: (number | null)[], before: number): number | undefined {
  for (let i = before; i >= 0; i--) if (values[i] !== null) return values[i]!;
  return values.find((v) => v !== null) ?? undefined;
}
