import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_PG_URL, requireLocalPg } from './helpers/local-pg.ts';
import { publishList, type ListRow } from './helpers/published-list.ts';
import { scratchOps, type ScratchOps } from './helpers/scratch-ops.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

// `tokobot chat`: the bot's chat in a terminal, in this process with lines on its standard input.
// Two stores, one from a folder and one from Dropbox with no Dropbox settings (a chat only needs
// the restore server); the person at the terminal is the owner, and no rate limit applies.

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-cli-chat-${process.pid}-`));
const configFile = path.join(dir, 'tokobot.json');
writeFileSync(configFile, JSON.stringify({ stores: [
  { id: 'pusat', name: 'Toko Pusat', dir: path.join(dir, 'backups') },
  { id: 'cabang', name: 'Toko Cabang', dropboxFolder: '/ipos/cabang' },
] }));
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: `tokobot_t_chat_${process.pid}`,
  DATA_DIR: path.join(dir, 'data'), TOKOBOT_CONFIG: configFile, LOG_LEVEL: 'warn',
  // Far below what the questions below send in a minute: the terminal has no rate limit.
  TELEGRAM_RATE_LIMIT: '2',
};
/** 23 INDOMIE items in the main store: three pages. */
const pusat: ListRow[] = Array.from({ length: 23 }, (_, i) => ({ kodeitem: `IM${i + 1}`, namaitem: `INDOMIE RASA ${String(i + 1).padStart(2, '0')}`,
  hargajual: String(3000 + i * 100), hargapokok: '2000' }));
const cabang: ListRow[] = [{ kodeitem: 'C1', namaitem: 'INDOMIE CABANG SPESIAL', hargajual: '4100' }];
let ops: ScratchOps | undefined;

before(async () => {
  if (skip) return;
  ops = await scratchOps(env.OPS_DATABASE);
  await publishList(ops.stores, 'pusat', pusat, dir);
  await publishList(ops.stores, 'cabang', cabang, dir);
});
after(async () => {
  await ops?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each line sent, then what the chat printed for it (the text between two prompts). */
async function chat(lines: string[], args: string[] = []): Promise<{ code: number; answers: string[]; stdout: string; stderr: string }> {
  const r = await tokobot(['chat', ...args], env, { input: lines.map((l) => `${l}\n`).join('') });
  return { ...r, answers: r.stdout.split('tokobot> ').slice(1).map((a) => a.trimEnd()) };
}

test('a question with more results than a page: numbered lines, "lanjut" and "kembali" turn pages, a number opens the item\'s card', { skip }, async () => {
  const r = await chat(['indomie', 'lanjut', '13', 'n', 'lanjut', 'kembali', '15', '3'], ['--store', 'pusat']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\nTanya seperti ke bot: .*\/keluar untuk selesai\.\ntokobot> /);
  const [first, second, card, third, noMore, back, fromBack, notShown] = r.answers;
  assert.equal(r.answers.length, 9, r.stdout); // eight answers, then the prompt that meets the end of input
  const lines = first!.split('\n');
  assert.equal(lines[0], '[Toko Pusat]');
  assert.equal(lines.length, 1 + 10 + 2);
  assert.deepEqual(lines.slice(1, 11).map((l) => /^(\d+)\. INDOMIE RASA \d\d — PCS Rp \d\.\d00$/.exec(l)?.[1]), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  assert.equal(lines[11], '1–10 dari 23');
  assert.equal(lines[12], '→ ketik 1–10 untuk kartu barang · lanjut: halaman berikutnya');
  assert.match(second!, /^\[Toko Pusat\]\n11\. INDOMIE RASA \d\d — /);
  assert.match(second!, /\n20\. INDOMIE RASA \d\d — .*\n11–20 dari 23\n→ ketik 11–20 untuk kartu barang · lanjut: halaman berikutnya · kembali: halaman sebelumnya$/);
  // Item 13 of the list: its card, with the cost price the owner sees.
  const thirteenth = /\n13\. (INDOMIE RASA \d\d) — PCS (Rp [\d.]+)/.exec(second!)!;
  const item = pusat.find((p) => p.namaitem === thirteenth[1])!;
  assert.equal(card, `[Toko Pusat]\n${item.namaitem}\nKode: ${item.kodeitem} · UMUM\nPCS: ${thirteenth[2]} — pokok Rp 2.000 (${((Number(item.hargajual) - 2000) / 20).toFixed(1).replace('.', ',')}%)\nStok: 1`);
  // "n" after a card: the list the card came from goes on.
  assert.match(third!, /^\[Toko Pusat\]\n21\. .*\n22\. .*\n23\. .*\n21–23 dari 23\n→ ketik 21–23 untuk kartu barang · kembali: halaman sebelumnya$/);
  assert.equal(noMore, 'Tidak ada halaman lain.');
  assert.match(back!, /^\[Toko Pusat\]\n11\. .*11–20 dari 23/s);
  // Only the numbers shown are cards: any other is a question (an item code, a barcode).
  assert.equal(notShown, '[Toko Pusat]\nTidak ada barang yang cocok dengan "3".');
  const fifteenth = /\n15\. (INDOMIE RASA \d\d) — /.exec(back!)![1];
  assert.match(fromBack!, new RegExp(`^\\[Toko Pusat\\]\\n${fifteenth}\\nKode: IM\\d+ · UMUM\\n`));
  assert.equal(r.answers[8], '');
});

test('store choice: /toko lists the stores by number, a number picks one, /store ID (or /toko ID) at once, and --store starts with it', { skip }, async () => {
  const r = await chat(['/toko', '2', 'indomie', '/store pusat', 'indomie spesial'], ['--store', 'pusat']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.answers[0], 'Pilih toko:\n1. ✓ Toko Pusat\n2. Toko Cabang\n→ ketik 1–2 untuk memilih');
  assert.equal(r.answers[1], 'Toko dipilih: Toko Cabang.');
  assert.equal(r.answers[2], '[Toko Cabang]\n1. INDOMIE CABANG SPESIAL — PCS Rp 4.100\n→ ketik 1 untuk kartu barang');
  assert.equal(r.answers[3], 'Toko dipilih: Toko Pusat.');
  assert.match(r.answers[4]!, /^\[Toko Pusat\]\n/);
  const chosen = await chat(['indomie'], ['--store', 'cabang']);
  assert.match(chosen.answers[0]!, /^\[Toko Cabang\]\n1\. INDOMIE CABANG SPESIAL/);
  const unknown = await chat([], ['--store', 'gudang']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Toko "gudang" tidak dikenal\. Toko yang diatur: pusat, cabang\./);
});

test('no rate limit: 30 questions in a row are all answered', { skip }, async () => {
  const r = await chat(Array.from({ length: 30 }, (_, i) => `indomie rasa ${String((i % 23) + 1).padStart(2, '0')}`), ['--store', 'pusat']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.answers.length, 31);
  r.answers.slice(0, 30).forEach((a, i) => assert.match(a, new RegExp(`^\\[Toko Pusat\\]\\n1\\. INDOMIE RASA ${String((i % 23) + 1).padStart(2, '0')} — `), `question ${i + 1}`));
});

test('the owner\'s commands: /status, /help, /export; a sync of a store without its Dropbox settings says which are missing; /keluar ends', { skip }, async () => {
  const r = await chat(['/status', '/help', '/sync cabang', '/sync pusat', '/export', '/whoami', '/keluar', '/status'], ['--store', 'pusat']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.answers.length, 7, r.stdout); // nothing after /keluar
  assert.match(r.answers[0]!, /^\[Status\]\nToko (Pusat|Cabang): /);
  assert.match(r.answers[0]!, /Toko Pusat: .*\n[^]*Toko Cabang: /);
  assert.match(r.answers[1]!, /\/export — kirim daftar harga \(Excel; \/export csv: CSV\)\n/);
  assert.match(r.answers[1]!, /\/batal — /);
  assert.match(r.answers[2]!, /^\[Toko Cabang\]\nSync Toko Cabang dimulai…\nPengaturan tokobot belum benar\. .*\nDROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN: /);
  // The other store's sync is not held up by Dropbox: it runs, and finds no folder of backups.
  assert.match(r.answers[3]!, /\n {2}… Toko Pusat: check…\n[^]*Sync Toko Pusat gagal saat check: Folder backup .*\/backups tidak bisa dibaca/);
  assert.match(r.answers[4]!, /^\[Toko Pusat\]\nDaftar harga Toko Pusat \(23 baris\)\n.*pusat-\d+\.id\.xlsx$/);
  assert.equal(r.answers[5], 'Anda di terminal mesin ini (tokobot chat), tanpa ID Telegram.\nPeran: owner', 'no Telegram id 0');
  assert.equal(r.answers[6], '');
});
