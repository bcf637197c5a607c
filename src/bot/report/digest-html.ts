import { formatTime } from '../../i18n/format-time.ts';
import type { Lang, Locale } from '../../i18n/lang.ts';
import { reportText, type ReportTextKey } from '../../i18n/report-text.ts';
import { alertTime, alertTitle } from '../../pipeline/alerts/alert-messages.ts';
import { shopLines } from './digest-shops.ts';
import type { Digest } from '../../pipeline/reports/digest.ts';
import { counts, diskWhere, isLow, oneLine, reportTitle, space, subjectCells } from './digest-facts.ts';

/** Every text goes through here: names and errors come from config, agents and outside systems. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const RED = '#b91c1c';
const GREY = '#5b6475';
const CELL = 'padding:4px 8px;border-bottom:1px solid #e2e6ee;text-align:left;vertical-align:top';
const NUM = `${CELL};text-align:right;white-space:nowrap`;
const HEAD = `${CELL};background:#eef1f6;font-weight:bold`;
const H3 = 'margin:18px 0 6px;font-size:15px';

type Cell = { text: string; style?: string };

function table(lang: Lang, heads: ReportTextKey[], rows: Cell[][]): string {
  const th = heads.map((k) => `<th style="${HEAD}">${esc(reportText(lang, k))}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td style="${c.style ?? CELL}">${esc(c.text)}</td>`).join('')}</tr>`).join('\n');
  return `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;font-size:13px">\n<tr>${th}</tr>\n${tr}\n</table>`;
}

const heading = (text: string) => `<h3 style="${H3}">${esc(text)}</h3>`;
const para = (text: string, style = '') => `<p style="margin:0 0 4px;${style}">${esc(text)}</p>`;

/**
 * The digest as an e-mail's HTML body (a fragment for the message's <body>): tables and inline
 * styles only, as mail clients keep them; every text escaped. `chartSrc` (say `cid:chart`, the
 * attached PNG) shows the chart in place; without it the chart is only attached.
 */
export function digestHtml(d: Digest, lang: Lang, options: { chartSrc?: string } = {}): string {
  const time = (at: Date) => formatTime(at, d.timeZone, lang);
  const reader: Locale = { lang, zone: d.timeZone };
  const parts = [
    `<h2 style="margin:0 0 4px;font-size:18px">${esc(reportTitle(d, lang))}</h2>`,
    para(counts(d, lang), 'font-weight:bold'),
    para(reportText(lang, 'period', { from: time(d.from), to: time(d.to) }), `color:${GREY}`),
    ...(d.stores ? [para(reportText(lang, 'storesOnly', { stores: d.stores.join(', ') }), `color:${GREY}`)] : []),
    heading(reportText(lang, 'summary')),
    table(lang, ['colSubject', 'colKind', 'colRuns', 'colFailures', 'colLastGood', 'colSize', 'colDuration', 'colRestore'], d.subjects.map((s) => {
      const c = subjectCells(s, d, lang);
      return [{ text: c.name }, { text: c.kind }, { text: c.runs, style: NUM }, { text: c.failures, style: s.failures > 0 ? `${NUM};color:${RED};font-weight:bold` : NUM },
        { text: c.lastGood, style: `${CELL};white-space:nowrap` }, { text: c.size, style: NUM }, { text: c.duration, style: NUM }, { text: c.restore }];
    })),
  ];
  const failed = d.subjects.filter((s) => s.failures > 0 && s.lastError);
  if (failed.length) parts.push(heading(reportText(lang, 'errorsHeading')), ...failed.map((s) => para(`${s.name}: ${oneLine(s.lastError!, 400)}`)));
  if (options.chartSrc) parts.push(`<p style="margin:12px 0"><img src="${esc(options.chartSrc)}" alt="${esc(reportText(lang, 'chartHeading'))}" width="600" style="max-width:100%;height:auto"></p>`);
  parts.push(heading(reportText(lang, 'alertsHeading', { n: d.openAlerts.length }).replace(/:$/, '')));
  if (!d.openAlerts.length) parts.push(para(reportText(lang, 'noAlerts'), `color:${GREY}`));
  for (const a of d.openAlerts) {
    const sev = reportText(lang, a.severity === 'critical' ? 'sev_critical' : 'sev_warning');
    parts.push(`<p style="margin:0 0 4px"><b style="color:${a.severity === 'critical' ? RED : '#b45309'}">${esc(sev)}:</b> ${esc(`${alertTitle(a, reader)} (${reportText(lang, 'alertSince', { time: alertTime(a, a.openedAt, reader) })})`)}</p>`);
  }
  parts.push(heading(reportText(lang, 'disksHeading').replace(/:$/, '')));
  parts.push(d.disks.length
    ? table(lang, ['colWhere', 'colPath', 'colFree', 'colMin', 'colStatus'], d.disks.map((disk) => [
      { text: diskWhere(disk, d, lang) }, { text: disk.path }, { text: space(disk.freeBytes, lang), style: NUM }, { text: space(disk.minFreeBytes, lang), style: NUM },
      isLow(disk) ? { text: reportText(lang, 'diskLow'), style: `${CELL};color:${RED};font-weight:bold` } : { text: reportText(lang, 'diskOk') },
    ]))
    : para(reportText(lang, 'noDisks'), `color:${GREY}`));
  if (d.shops?.length) parts.push(heading(reportText(lang, 'shopsHeading').replace(/:$/, '')), ...d.shops.flatMap((s) => shopLines(s, lang)).map((l) => para(l)));
  parts.push(para(reportText(lang, 'generatedAt', { time: time(d.generatedAt) }), `margin-top:16px;font-size:12px;color:${GREY}`));
  return `<div style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4;color:#111">\n${parts.join('\n')}\n</div>\n`;
}
