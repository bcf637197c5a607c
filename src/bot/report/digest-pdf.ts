import type { Content } from 'pdfmake';
import { formatTime } from '../../i18n/format-time.ts';
import type { Lang, Locale } from '../../i18n/lang.ts';
import { reportText } from '../../i18n/report-text.ts';
import { alertTime, alertTitle } from '../../pipeline/alerts/alert-messages.ts';
import { shopLines } from './digest-shops.ts';
import type { Digest } from '../../pipeline/reports/digest.ts';
import { counts, diskWhere, isLow, oneLine, reportTitle, space, subjectCells, zoneLabel } from './digest-facts.ts';
import { robotoFiles } from './report-fonts.ts';

type PdfMake = typeof import('pdfmake');
type TDocumentDefinitions = Parameters<PdfMake['createPdf']>[0];

/** A4 is 595 pt wide; with 40 pt margins the content is 515 pt. */
const CONTENT_WIDTH = 515;
const GREY = '#5b6475';
const RED = '#c62828';

/**
 * pdfmake, with Roboto from its own package and no other file or URL it may read: the names in a
 * report come from config and agents, and nothing in the document may make it fetch anything.
 */
async function loadPdfMake(): Promise<PdfMake> {
  const mod = await import('pdfmake');
  const pdfmake = ((mod as { default?: PdfMake }).default ?? mod) as PdfMake;
  const fonts = robotoFiles();
  const allowed = new Set(Object.values(fonts));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
  pdfmake.setFonts({ Roboto: { ...fonts } });
  return pdfmake;
}

const th = (text: string): Content => ({ text, bold: true, fillColor: '#eef1f6' });

function summaryTable(d: Digest, lang: Lang): Content {
  const head = (['colSubject', 'colKind', 'colRuns', 'colFailures', 'colLastGood', 'colSize', 'colDuration', 'colRestore'] as const).map((k) => th(reportText(lang, k)));
  const rows = d.subjects.map((s): Content[] => {
    const c = subjectCells(s, d, lang);
    const failed = s.failures > 0 ? { color: RED, bold: true } : {};
    return [c.name, c.kind, { text: c.runs, alignment: 'right' }, { text: c.failures, alignment: 'right', ...failed }, { text: c.lastGood, noWrap: true }, { text: c.size, alignment: 'right', noWrap: true }, { text: c.duration, alignment: 'right', noWrap: true }, { text: c.restore, noWrap: true }];
  });
  return { table: { headerRows: 1, widths: ['*', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'], body: [head, ...rows] }, layout: 'lightHorizontalLines', fontSize: 8 };
}

function errors(d: Digest, lang: Lang): Content[] {
  const failed = d.subjects.filter((s) => s.failures > 0 && s.lastError);
  if (!failed.length) return [];
  return [{ text: reportText(lang, 'errorsHeading'), style: 'h2' }, { ul: failed.map((s) => `${s.name}: ${oneLine(s.lastError!, 400)}`) }];
}

function alerts(d: Digest, lang: Lang): Content[] {
  const reader: Locale = { lang, zone: d.timeZone };
  const heading: Content = { text: reportText(lang, 'alertsHeading', { n: d.openAlerts.length }).replace(/:$/, ''), style: 'h2' };
  if (!d.openAlerts.length) return [heading, { text: reportText(lang, 'noAlerts'), color: GREY }];
  return [heading, {
    ul: d.openAlerts.map((a) => ({ text: [
      { text: `${reportText(lang, a.severity === 'critical' ? 'sev_critical' : 'sev_warning')}: `, bold: true, color: a.severity === 'critical' ? RED : '#e65100' },
      `${alertTitle(a, reader)} (${reportText(lang, 'alertSince', { time: alertTime(a, a.openedAt, reader) })})`,
    ] })),
  }];
}

function disks(d: Digest, lang: Lang): Content[] {
  const heading: Content = { text: reportText(lang, 'disksHeading').replace(/:$/, ''), style: 'h2' };
  if (!d.disks.length) return [heading, { text: reportText(lang, 'noDisks'), color: GREY }];
  const head = (['colWhere', 'colPath', 'colFree', 'colMin', 'colStatus'] as const).map((k) => th(reportText(lang, k)));
  const rows = d.disks.map((disk): Content[] => [
    diskWhere(disk, d, lang), disk.path, { text: space(disk.freeBytes, lang), alignment: 'right' }, { text: space(disk.minFreeBytes, lang), alignment: 'right' },
    isLow(disk) ? { text: reportText(lang, 'diskLow'), color: RED, bold: true } : reportText(lang, 'diskOk'),
  ]);
  return [heading, { table: { headerRows: 1, widths: ['auto', '*', 'auto', 'auto', 'auto'], body: [head, ...rows] }, layout: 'lightHorizontalLines', fontSize: 8 }];
}

/** Each store's price changes and low stock, as the chat says them. */
function shops(d: Digest, lang: Lang): Content[] {
  if (!d.shops?.length) return [];
  return [{ text: reportText(lang, 'shopsHeading').replace(/:$/, ''), style: 'h2' }, { ul: d.shops.flatMap((s) => shopLines(s, lang)) }];
}

/** The document: title and counts, period and zone, the summary table, errors, the chart, open alerts, disks; made-at and page on every page. */
export function digestDocument(d: Digest, lang: Lang, chartPng: Buffer): TDocumentDefinitions {
  const title = reportTitle(d, lang);
  const time = (at: Date) => formatTime(at, d.timeZone, lang);
  const made = time(d.generatedAt);
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    info: { title, creator: 'tokobot', producer: 'tokobot' },
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    styles: { title: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] }, h2: { fontSize: 12, bold: true, margin: [0, 14, 0, 4] } },
    images: { chart: `data:image/png;base64,${chartPng.toString('base64')}` },
    content: [
      { text: title, style: 'title' },
      { text: counts(d, lang), bold: true },
      { text: reportText(lang, 'period', { from: time(d.from), to: time(d.to) }), color: GREY, margin: [0, 4, 0, 0] },
      { text: reportText(lang, 'zone', { zone: zoneLabel(d, lang) }), color: GREY },
      ...(d.stores ? [{ text: reportText(lang, 'storesOnly', { stores: d.stores.join(', ') }), color: GREY }] : []),
      { text: reportText(lang, 'summary'), style: 'h2' },
      summaryTable(d, lang),
      ...errors(d, lang),
      { text: reportText(lang, 'chartHeading'), style: 'h2' },
      { image: 'chart', width: CONTENT_WIDTH },
      ...alerts(d, lang),
      ...disks(d, lang),
      ...shops(d, lang),
    ],
    footer: (page: number, pages: number) => ({ text: reportText(lang, 'generated', { time: made, page, pages }), alignment: 'center', fontSize: 8, color: GREY, margin: [40, 16, 40, 0] }),
  };
}

/** The digest as an A4 PDF that an owner can forward, with the chart as drawn for the chat. */
export async function digestPdf(d: Digest, lang: Lang, chartPng: Buffer): Promise<Buffer> {
  const pdfmake = await loadPdfMake();
  return pdfmake.createPdf(digestDocument(d, lang, chartPng)).getBuffer();
}
