import type { Lang } from '../../i18n/lang.ts';
import type { Message } from '../../message.ts';
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
 * laporan-harian-2026-11-29.png / .pdf (report-daily-… in English).
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
    ],
  };
}
