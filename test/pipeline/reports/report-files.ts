import sharp from 'sharp';
import type { Lang } from '../../../src/i18n/lang.ts';
import type { Message, MessageFile } from '../../../src/message.ts';
import type { Digest } from '../../../src/pipeline/reports/digest.ts';

/** A real 8×4 PNG (a red bar on white) and a few bytes of a PDF: the files a report carries, small. */
export async function sampleFiles(): Promise<MessageFile[]> {
  const png = await sharp({ create: { width: 8, height: 4, channels: 3, background: '#ffffff' } })
    .composite([{ input: { create: { width: 3, height: 4, channels: 3, background: '#cc0000' } }, left: 0, top: 0 }]).png().toBuffer();
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  return [{ name: 'grafik.png', type: 'image/png', base64: png.toString('base64') }, { name: 'laporan.pdf', type: 'application/pdf', base64: pdf.toString('base64') }];
}

/**
 * The report renderer the tests inject (the real one draws the chart and the PDF): a title, one
 * line per subject with its counts, and the sample files; every call is recorded.
 */
export function testRenderer(): { render: (d: Digest, lang: Lang) => Promise<Message>; calls: { digest: Digest; lang: Lang }[] } {
  const calls: { digest: Digest; lang: Lang }[] = [];
  return {
    calls,
    async render(digest, lang) {
      calls.push({ digest, lang });
      return {
        severity: 'info', title: `${lang === 'en' ? 'Report' : 'Laporan'} ${digest.period}`,
        lines: digest.subjects.map((s) => `${s.id}: ${s.runs}/${s.failures}`), files: await sampleFiles(),
      };
    },
  };
}
