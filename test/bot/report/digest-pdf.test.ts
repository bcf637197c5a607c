import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderDigest } from '../../../src/bot/report/render-digest.ts';
import type { Lang } from '../../../src/i18n/lang.ts';
import type { Message } from '../../../src/message.ts';
import { skipUnless } from '../../helpers/needs.ts';
import { UNSAFE_NAME, weekDigest } from './digest-fixture.ts';
import { pixels } from './pixels.ts';

const run = promisify(execFile);

/** pdftotext and pdftoppm (poppler-utils) read back what the PDF shows. */
const popplerMissing = await Promise.all(['pdftotext', 'pdftoppm'].map((p) => run(p, ['-v']).then(() => true, () => false)))
  .then((ok) => (ok.every(Boolean) ? undefined : 'pdftotext or pdftoppm is not installed (Debian: apt-get install poppler-utils)'));
const skip = skipUnless(popplerMissing);

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), `tokobot-B-pdf-${process.pid}-`));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const messages = new Map<Lang, Promise<Message>>();
const message = (lang: Lang) => {
  if (!messages.has(lang)) messages.set(lang, renderDigest(weekDigest(), lang));
  return messages.get(lang)!;
};

async function pdfFile(lang: Lang): Promise<string> {
  const pdf = (await message(lang)).files!.find((f) => f.type === 'application/pdf')!;
  const file = path.join(dir, pdf.name);
  writeFileSync(file, Buffer.from(pdf.base64, 'base64'));
  return file;
}

/** The PDF's text, one line per line of the page (-layout keeps a table's row together). */
async function pdfText(lang: Lang): Promise<string> {
  return (await run('pdftotext', ['-layout', '-enc', 'UTF-8', await pdfFile(lang), '-'])).stdout;
}

test('the message carries the chart PNG and the PDF, named for the period in the reader\'s language', async () => {
  const id = await message('id');
  assert.deepEqual(id.files!.map((f) => [f.name, f.type]), [['laporan-mingguan-2026-11-23.png', 'image/png'], ['laporan-mingguan-2026-11-23.pdf', 'application/pdf']]);
  const [png, pdf] = id.files!.map((f) => Buffer.from(f.base64, 'base64'));
  assert.equal(png!.subarray(1, 4).toString(), 'PNG');
  assert.equal(pdf!.subarray(0, 5).toString(), '%PDF-');
  assert.deepEqual((await message('en')).files!.map((f) => f.name), ['report-weekly-2026-11-23.png', 'report-weekly-2026-11-23.pdf']);
});

test('the PDF says the title, period, zone, each subject\'s figures in Indonesian numbers, the errors, the open alert, the low disk, when it was made', { skip }, async () => {
  const text = await pdfText('id');
  for (const expected of [
    'Laporan mingguan 23–29 Nov 2026', '3 gagal dari 35, 1 peringatan terbuka',
    'Periode: 23 Nov 2026 00:00 WIB – 30 Nov 2026 00:00 WIB', 'Zona waktu: Asia/Jakarta (WIB)',
    UNSAFE_NAME, 'harian: pg_dump: connection refused', 'Kritis: Backup harian GAGAL (sejak 28 Nov 2026 19:00 WIB)',
    'Dibuat 30 Nov 2026 07:00 WIB oleh tokobot · halaman 1 dari 1',
  ]) assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
  assert.match(text, /^\s*harian\s+backup\s+14\s+2\s+29 Nov 2026 07:00 WIB\s+1\.200,0 MB\s+10 m 03 s\s+12× \/ 0 beda\s*$/m);
  assert.match(text, /^\s*Toko Pusat\s+sync\s+7\s+0\s+29 Nov 2026 09:00 WIB\s+40,0 MB\s+2 m 08 s\s+–\s*$/m);
  assert.match(text, /^\s*toko Cabang <script>alert\(1\)<\/script> & Co\s+D:\\Backup\s+800,0 MB\s+2,0 GB\s+DI BAWAH MINIMUM\s*$/m);
  assert.match(text, /^\s*server tokobot\s+\/var\/lib\/tokobot\s+12,5 GB\s+5,0 GB\s+cukup\s*$/m);
});

test('the PDF in English: English words and numbers', { skip }, async () => {
  const text = await pdfText('en');
  for (const expected of ['Weekly report 23–29 Nov 2026', '3 failed of 35', 'Critical: Backup harian FAILED (since 28 Nov 2026 19:00 WIB)', 'BELOW THE MINIMUM', 'Made 30 Nov 2026 07:00 WIB by tokobot'])
    assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
  assert.match(text, /^\s*harian\s+backup\s+14\s+2\s+29 Nov 2026 07:00 WIB\s+1,200\.0 MB\s+10 m 03 s\s+12× \/ 0 differing\s*$/m);
});

test('the PDF\'s page renders: A4, with the chart\'s colours and the failures\' red on it, not blank', { skip }, async () => {
  const prefix = path.join(dir, 'page');
  await run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', await pdfFile('id'), prefix]);
  const page = await pixels(readFileSync(`${prefix}.png`));
  // A4 is 210 × 297 mm: 413 × 585 pixels at 50 dpi.
  assert.ok(Math.abs(page.width - 413) <= 1 && Math.abs(page.height - 585) <= 1, `${page.width}×${page.height}`);
  assert.ok(page.inked() > 0.05, `only ${page.inked()} of the page is drawn`);
  // The chart's blue and orange lines (subjects 1 and 3) and its red triangles, scaled down into the page.
  for (const colour of ['#1565c0', '#ef6c00']) assert.ok(page.count(colour, undefined, 60) > 20, `${colour}: ${page.count(colour, undefined, 60)}`);
  assert.ok(page.count('#d32f2f', undefined, 60) > 10, 'no red on the page');
});
