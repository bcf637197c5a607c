import type { Lang } from '../../i18n/lang.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Message, MessageFile } from '../../message.ts';
import { lowStockWorkbook, removeLowStockWorkbook } from '../../pipeline/low-stock-workbook.ts';
import type { Digest } from '../../pipeline/reports/digest.ts';
import { chartPng } from './chart-png.ts';
import { fileStem } from './digest-facts.ts';
import { digestChartSvg } from './digest-chart.ts';
import { digestPdf } from './digest-pdf.ts';
import { digestText } from './digest-text.ts';
import { digestHtml } from './digest-html.ts';

/**
 * A daily digest or weekly report as one message: the text for the chat (its title carries the
 * counts, for an e-mail's subject), the chart as a PNG and the whole report as a PDF, named
 * laporan-harian-2026-11-29.png / .pdf (report-daily-… in English), and each store's items under their
 * minimum stock as an Excel workbook when it has any.
 */
export async function renderDigest(d: Digest, lang: Lang): Promise<Message> {
  const png = await chartPng(await digestChartSvg(d, lang));
  const pdf = await digestPdf(d, lang, png);
  const stem = fileStem(d, lang);
  return {
    ...digestText(d, lang),
    html: digestHtml(d, lang, { chartSrc: `cid:${stem}.png` }),
    files: [
      { name: `${stem}.png`, type: 'image/png', base64: png.toString('base64') },
      { name: `${stem}.pdf`, type: 'application/pdf', base64: pdf.toString('base64') },
      ...await lowStockFiles(d, lang),
    ],
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Each store's items under minimum stock as its Excel workbook (one sheet per office), for the stores that have any. */
async function lowStockFiles(d: Digest, lang: Lang): Promise<MessageFile[]> {
  const files: MessageFile[] = [];
  for (const shop of d.shops ?? []) {
    const report = shop.lowStock;
    if (!report?.live || report.counts.rows === 0) continue;
    const file = await lowStockWorkbook(report, lang, { now: d.generatedAt });
    try {
      files.push({ name: path.basename(file), type: XLSX, base64: (await readFile(file)).toString('base64') });
    } finally {
      await removeLowStockWorkbook(file);
    }
  }
  return files;
}
