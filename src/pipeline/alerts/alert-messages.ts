import { parseErrorFacts, type ErrorFacts } from '../../errors.ts';
import type { Message } from '../../message.ts';
import { ownerMessage } from '../../owner-messages.ts';
import type { Lang } from '../chat-state.ts';
import type { AlertKind, OpenAlert, Severity } from './alert-types.ts';

type Params = Record<string, string | number>;
type Text = { id: string; en: string };

/** For each kind: what happened (title), the details, and what to do. `{name}` takes the alert's params. */
const KINDS: Record<AlertKind, { title: Text; detail: Text; todo: Text }> = {
  'sync-failed': {
    title: { id: 'Sync {subject} gagal', en: 'Sync of {subject} failed' },
    detail: { id: 'Tahap {stage}: {error}', en: 'Stage {stage}: {error}' },
    todo: { id: 'Daftar harga lama tetap dipakai. Periksa pesan di atas; sync berikutnya akan mencoba lagi.', en: 'The previous price list stays in use. Check the message above; the next sync tries again.' },
  },
  'sync-stuck': {
    title: { id: 'Sync {subject} macet', en: 'Sync of {subject} is stuck' },
    detail: { id: 'Berjalan sejak {since} (tahap {stage}).', en: 'Running since {since} (stage {stage}).' },
    todo: { id: 'Periksa server restore dan ruang disk; restart tokobot bila perlu.', en: 'Check the restore server and the disk; restart tokobot if needed.' },
  },
  'stale-backups': {
    title: { id: 'Backup {subject} berhenti datang', en: 'Backups of {subject} stopped arriving' },
    detail: { id: 'Backup terbaru: {newest}, {hours} jam lalu (batas {limit} jam).', en: 'Newest backup: {newest}, {hours} hours ago (limit {limit} hours).' },
    todo: { id: 'Periksa komputer kasir: apakah iPOS masih membuat backup dan Dropbox masih sinkron?', en: 'Check the shop computer: is iPOS still making backups and is Dropbox still syncing?' },
  },
  'source-unreachable': {
    title: { id: 'Folder backup {subject} tidak bisa dibaca', en: 'The backup folder of {subject} cannot be read' },
    detail: { id: '{error}', en: '{error}' },
    todo: { id: 'Periksa koneksi internet dan akses Dropbox.', en: 'Check the internet connection and the Dropbox access.' },
  },
  'backup-failed': {
    title: { id: 'Backup {subject} GAGAL', en: 'Backup {subject} FAILED' },
    detail: { id: '{error}', en: '{error}' },
    todo: { id: 'Backup terakhir yang baik: {lastGood}. Perbaiki penyebabnya lalu kirim /backup {subject}.', en: 'Last good backup: {lastGood}. Fix the cause, then send /backup {subject}.' },
  },
  'backup-missed': {
    title: { id: 'Backup {subject} tidak berjalan', en: 'Backup {subject} did not run' },
    detail: { id: 'Seharusnya berjalan {expected}; terakhir berjalan: {last}.', en: 'It was due at {expected}; last run: {last}.' },
    todo: { id: 'Apakah tokobot berjalan terus? Kirim /backup {subject} untuk menjalankannya sekarang.', en: 'Is tokobot running all the time? Send /backup {subject} to run it now.' },
  },
  'disk-low': {
    title: { id: 'Disk hampir penuh', en: 'The disk is almost full' },
    detail: { id: 'Sisa {free} MB di {dir} (minimal {min} MB), setelah file lama dibersihkan.', en: '{free} MB free under {dir} (minimum {min} MB), after old files were pruned.' },
    todo: { id: 'Kosongkan ruang disk atau pindahkan DATA_DIR ke disk yang lebih besar; sync dan backup bisa gagal.', en: 'Free some space or move DATA_DIR to a larger disk; syncs and backups may fail.' },
  },
  'restore-server-down': {
    title: { id: 'Server PostgreSQL tokobot tidak terjangkau', en: 'tokobot\'s PostgreSQL server is unreachable' },
    detail: { id: '{error}', en: '{error}' },
    todo: { id: 'Periksa Docker atau server database; harga tetap bisa ditanyakan dari daftar terakhir.', en: 'Check Docker or the database server; prices can still be asked from the last list.' },
  },
  'whatsapp-down': {
    title: { id: 'WhatsApp tokobot terputus', en: 'tokobot\'s WhatsApp is not connected' },
    detail: { id: 'Status: {state}. Peringatan untuk WhatsApp dikirim lewat Telegram.', en: 'State: {state}. Alerts for WhatsApp go through Telegram instead.' },
    todo: { id: 'Periksa HP yang tertaut (internet, WhatsApp terbuka) atau tautkan ulang dengan kode QR.', en: 'Check the linked phone (internet, WhatsApp open) or link again with the QR code.' },
  },
  'telegram-down': {
    title: { id: 'Telegram tidak bisa dihubungi tokobot', en: 'Telegram unreachable for tokobot' },
    detail: { id: 'Status: {state}. Peringatan untuk Telegram dikirim lewat WhatsApp.', en: 'State: {state}. Alerts for Telegram go through WhatsApp instead.' },
    todo: {
      id: 'Periksa koneksi internet server, proxy kantor (HTTPS_PROXY) dan TELEGRAM_API_ROOT. Sync dan backup tetap berjalan; tokobot terus mencoba.',
      en: 'Check the server\'s internet connection, the office proxy (HTTPS_PROXY) and TELEGRAM_API_ROOT. Syncs and backups go on; tokobot keeps trying.',
    },
  },
};

const fill = (text: string, params: Params) => text.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? '?'));
export const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Alert params for a failure's kind and system (sync-failed, backup-failed, source-unreachable): kept with the alert, so that
 * each recipient's message leads with the owner's headline in their language.
 */
export const failureParams = (facts: ErrorFacts | null | undefined): Params => (facts ? { errorKind: facts.kind, errorSystem: facts.system } : {});

function parts(a: Pick<OpenAlert, 'kind' | 'subject' | 'params'>, lang: Lang) {
  const k = KINDS[a.kind];
  const params = { ...a.params, subject: a.subject };
  const facts = parseErrorFacts(a.params.errorKind, a.params.errorSystem);
  return { title: fill(k.title[lang], params), detail: fill(k.detail[lang], params), todo: fill(k.todo[lang], params),
    headline: facts ? [ownerMessage(facts, lang)] : [] };
}

const shown = (s: Severity): Message['severity'] => (s === 'critical' ? 'error' : 'warning');
const since = (a: OpenAlert, lang: Lang) => `${lang === 'id' ? 'Sejak' : 'Since'}: ${when(a.openedAt)}`;

export function openMessage(a: OpenAlert, lang: Lang): Message {
  const p = parts(a, lang);
  return { severity: shown(a.severity), title: p.title, lines: [...p.headline, p.detail, since(a, lang), p.todo] };
}

export function remindMessage(a: OpenAlert, lang: Lang): Message {
  const p = parts(a, lang);
  return { severity: shown(a.severity), title: `${lang === 'id' ? 'Masih' : 'Still'}: ${p.title}`, lines: [...p.headline, p.detail, since(a, lang), p.todo] };
}

export function resolvedMessage(a: OpenAlert, lang: Lang, at: Date): Message {
  const p = parts(a, lang);
  return { severity: 'info', title: `✅ ${lang === 'id' ? 'Beres' : 'Resolved'}: ${p.title}`,
    lines: [`${lang === 'id' ? 'Dari' : 'From'} ${when(a.openedAt)} ${lang === 'id' ? 'sampai' : 'to'} ${when(at)}.`] };
}

/** Several alerts at once for one recipient: one message, one line each; as severe as the worst still open. */
export function digestMessage(items: { alert: OpenAlert; event: 'open' | 'remind' | 'resolve' }[], lang: Lang): Message {
  const mark = (a: OpenAlert, event: string) => (event === 'remind' ? '⏰' : event === 'resolve' ? '✅' : a.severity === 'critical' ? '❗' : '⚠️');
  const open = items.filter((i) => i.event !== 'resolve').map((i) => i.alert.severity);
  const severity = open.includes('critical') ? 'error' : open.length ? 'warning' : 'info';
  return {
    severity, title: lang === 'id' ? `${items.length} kabar peringatan` : `${items.length} alert updates`,
    lines: [...items.map(({ alert, event }) => {
      const p = parts(alert, lang);
      return `${mark(alert, event)} ${p.title}${event === 'resolve' ? (lang === 'id' ? ' — beres' : ' — resolved') : `: ${p.detail}`}`;
    }), lang === 'id' ? 'Kirim /alerts untuk rinciannya.' : 'Send /alerts for details.'],
  };
}

export function alertTitle(a: Pick<OpenAlert, 'kind' | 'subject' | 'params'>, lang: Lang): string {
  return parts(a, lang).title;
}
