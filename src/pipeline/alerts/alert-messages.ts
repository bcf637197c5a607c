import { parseErrorFacts, type ErrorFacts } from '../../errors.ts';
import { formatTime, localTimes } from '../../i18n/format-time.ts';
import type { Lang, Locale } from '../../i18n/lang.ts';
import type { Message } from '../../message.ts';
import { ownerMessage } from '../../owner-messages.ts';
import type { AlertKind, OpenAlert, Severity } from './alert-types.ts';

type Params = Record<string, string | number>;
type Text = Record<Lang, string>;

/**
 * For each kind: what happened (title), the details, what to do, and what is well again once it
 * is over (after "Pulih:"). `{name}` takes the alert's params.
 */
const KINDS: Record<AlertKind, { title: Text; detail: Text; todo: Text; resolved: Text }> = {
  'sync-failed': {
    title: { id: 'Sync {subject} gagal', en: 'Sync of {subject} failed' },
    detail: { id: 'Tahap {stage}: {error}', en: 'Stage {stage}: {error}' },
    todo: { id: 'Daftar harga lama tetap dipakai. Periksa pesan di atas; sync berikutnya akan mencoba lagi.', en: 'The previous price list stays in use. Check the message above; the next sync tries again.' },
    resolved: { id: 'sync {subject} berhasil lagi', en: 'sync of {subject} works again' },
  },
  'sync-stuck': {
    title: { id: 'Sync {subject} macet', en: 'Sync of {subject} is stuck' },
    detail: { id: 'Berjalan sejak {since} (tahap {stage}).', en: 'Running since {since} (stage {stage}).' },
    todo: { id: 'Periksa server restore dan ruang disk; restart tokobot bila perlu.', en: 'Check the restore server and the disk; restart tokobot if needed.' },
    resolved: { id: 'sync {subject} berjalan normal lagi', en: 'sync of {subject} runs normally again' },
  },
  'stale-backups': {
    title: { id: 'Backup {subject} berhenti datang', en: 'Backups of {subject} stopped arriving' },
    detail: { id: 'Backup terbaru: {newest}, {hours} jam lalu (batas {limit} jam).', en: 'Newest backup: {newest}, {hours} hours ago (limit {limit} hours).' },
    todo: { id: 'Periksa komputer kasir: apakah iPOS masih membuat backup dan Dropbox masih sinkron?', en: 'Check the shop computer: is iPOS still making backups and is Dropbox still syncing?' },
    resolved: { id: 'backup {subject} datang lagi', en: 'backups of {subject} arrive again' },
  },
  'source-unreachable': {
    title: { id: 'Folder backup {subject} tidak bisa dibaca', en: 'The backup folder of {subject} cannot be read' },
    detail: { id: '{error}', en: '{error}' },
    todo: { id: 'Periksa koneksi internet dan akses Dropbox.', en: 'Check the internet connection and the Dropbox access.' },
    resolved: { id: 'folder backup {subject} bisa dibaca lagi', en: 'the backup folder of {subject} can be read again' },
  },
  'backup-failed': {
    title: { id: 'Backup {subject} GAGAL', en: 'Backup {subject} FAILED' },
    detail: { id: '{error}', en: '{error}' },
    todo: { id: 'Backup terakhir yang baik: {lastGood}. Perbaiki penyebabnya lalu kirim /backup {subject}.', en: 'Last good backup: {lastGood}. Fix the cause, then send /backup {subject}.' },
    resolved: { id: 'backup {subject} berhasil lagi', en: 'backup {subject} works again' },
  },
  'backup-missed': {
    title: { id: 'Backup {subject} tidak berjalan', en: 'Backup {subject} did not run' },
    detail: { id: 'Seharusnya berjalan {expected}; terakhir berjalan: {last}.', en: 'It was due at {expected}; last run: {last}.' },
    todo: { id: 'Apakah tokobot berjalan terus? Kirim /backup {subject} untuk menjalankannya sekarang.', en: 'Is tokobot running all the time? Send /backup {subject} to run it now.' },
    resolved: { id: 'backup {subject} berjalan lagi sesuai jadwal', en: 'backup {subject} runs on schedule again' },
  },
  'disk-low': {
    title: { id: 'Disk hampir penuh', en: 'The disk is almost full' },
    detail: { id: 'Sisa {free} MB di {dir} (minimal {min} MB), setelah file lama dibersihkan.', en: '{free} MB free under {dir} (minimum {min} MB), after old files were pruned.' },
    todo: { id: 'Kosongkan ruang disk atau pindahkan DATA_DIR ke disk yang lebih besar; sync dan backup bisa gagal.', en: 'Free some space or move DATA_DIR to a larger disk; syncs and backups may fail.' },
    resolved: { id: 'ruang disk cukup lagi', en: 'the disk has enough free space again' },
  },
  'restore-server-down': {
    title: { id: 'Server PostgreSQL tokobot tidak terjangkau', en: 'tokobot\'s PostgreSQL server is unreachable' },
    detail: { id: '{error}', en: '{error}' },
    todo: { id: 'Periksa Docker atau server database; harga tetap bisa ditanyakan dari daftar terakhir.', en: 'Check Docker or the database server; prices can still be asked from the last list.' },
    resolved: { id: 'server PostgreSQL tokobot terjangkau lagi', en: 'tokobot\'s PostgreSQL server is reachable again' },
  },
  'whatsapp-down': {
    title: { id: 'WhatsApp tokobot terputus', en: 'tokobot\'s WhatsApp is not connected' },
    detail: { id: 'Status: {state}. Peringatan untuk WhatsApp dikirim lewat Telegram.', en: 'State: {state}. Alerts for WhatsApp go through Telegram instead.' },
    todo: { id: 'Periksa HP yang tertaut (internet, WhatsApp terbuka) atau tautkan ulang dengan kode QR.', en: 'Check the linked phone (internet, WhatsApp open) or link again with the QR code.' },
    resolved: { id: 'WhatsApp tokobot tersambung lagi', en: 'tokobot\'s WhatsApp is connected again' },
  },
  'telegram-down': {
    title: { id: 'Telegram tidak bisa dihubungi tokobot', en: 'Telegram unreachable for tokobot' },
    detail: { id: 'Status: {state}. Peringatan untuk Telegram dikirim lewat WhatsApp.', en: 'State: {state}. Alerts for Telegram go through WhatsApp instead.' },
    todo: {
      id: 'Periksa koneksi internet server, proxy kantor (HTTPS_PROXY) dan TELEGRAM_API_ROOT. Sync dan backup tetap berjalan; tokobot terus mencoba.',
      en: 'Check the server\'s internet connection, the office proxy (HTTPS_PROXY) and TELEGRAM_API_ROOT. Syncs and backups go on; tokobot keeps trying.',
    },
    resolved: { id: 'Telegram tokobot tersambung lagi', en: 'tokobot\'s Telegram is connected again' },
  },
  'email-down': {
    title: { id: 'E-mail tokobot tidak terkirim', en: 'tokobot\'s e-mail cannot be sent' },
    detail: { id: 'Status: {state}. E-mail menunggu di antrean dan dikirim begitu server SMTP menerimanya.', en: 'State: {state}. E-mails wait in the outbox and go once the SMTP server takes them.' },
    todo: {
      id: 'Periksa server SMTP (SMTP_URL atau SMTP_HOST), user dan password-nya, dan SMTP_FROM; tokobot doctor mengujinya.',
      en: 'Check the SMTP server (SMTP_URL or SMTP_HOST), its user and password, and SMTP_FROM; tokobot doctor tests them.',
    },
    resolved: { id: 'e-mail tokobot terkirim lagi', en: 'tokobot\'s e-mail goes out again' },
  },
  'worker-down': {
    title: { id: 'Worker tokobot di {subject} berhenti', en: 'tokobot\'s worker on {subject} stopped' },
    detail: { id: 'Tidak ada tanda hidup sejak {silentSince} (pid {pid}). Pekerjaannya sudah diambil alih worker lain.', en: 'No sign of life since {silentSince} (pid {pid}). The other workers took up its jobs.' },
    todo: { id: 'Periksa mesin {subject}: apakah menyala, terhubung ke database ops, dan tokobot worker berjalan?', en: 'Check the machine {subject}: is it on, connected to the ops database, and is tokobot worker running?' },
    resolved: { id: 'worker tokobot di {subject} berjalan lagi', en: 'tokobot\'s worker on {subject} runs again' },
  },
  'agent-silent': {
    title: { id: 'Agen toko {subject} tidak melapor', en: 'The shop agent of {subject} went silent' },
    detail: { id: 'Agen di {host} terakhir melapor {last} ({minutes} menit lalu).', en: 'The agent on {host} last reported at {last} ({minutes} minutes ago).' },
    todo: {
      id: 'Periksa komputer toko: menyala dan terhubung ke internet? Apakah layanan `tokobot agent` berjalan? Jalankan `tokobot doctor` di sana. Selama agen diam, backup toko ini tidak dibuat.',
      en: 'Check the shop PC: is it on and online? Is the `tokobot agent` service running? Run `tokobot doctor` there. While the agent is silent, this store\'s backups are not made.',
    },
    resolved: { id: 'agen toko {subject} melapor lagi', en: 'the shop agent of {subject} reports again' },
  },
  'agent-disk-low': {
    title: { id: 'Disk komputer toko {subject} hampir penuh', en: 'The shop PC of {subject} is almost out of disk' },
    detail: { id: 'Sisa {free} MB di {dir} pada {host} (minimal {min} MB).', en: '{free} MB free under {dir} on {host} (minimum {min} MB).' },
    todo: { id: 'Kosongkan ruang di komputer toko (file lama, backup lokal lama) atau pasang disk yang lebih besar; backup berikutnya bisa gagal.',
      en: 'Free some space on the shop PC (old files, old local backups) or fit a larger disk; the next backups may fail.' },
    resolved: { id: 'disk komputer toko {subject} cukup lagi', en: 'the shop PC of {subject} has enough free space again' },
  },
};

/**
 * A backup job of a shop agent (params `agentStore`, `agentJob`): /backup at the head office cannot
 * run it, so its alerts say which store's agent made it and what to look at there instead.
 */
const AGENT_JOB: Partial<Record<AlertKind, { title: Text; todo: Text; resolved: Text }>> = {
  'backup-failed': {
    title: { id: 'Backup {agentJob} toko {agentStore} GAGAL (dibuat agen toko)', en: 'Backup {agentJob} of store {agentStore} FAILED (made by the shop agent)' },
    todo: { id: 'Backup terakhir yang baik: {lastGood}. Perbaiki penyebabnya di komputer toko (`tokobot doctor` di sana); agen mencoba lagi sesuai jadwal.',
      en: 'Last good backup: {lastGood}. Fix the cause on the shop PC (`tokobot doctor` there); the agent tries again on schedule.' },
    resolved: { id: 'backup {agentJob} toko {agentStore} berhasil lagi', en: 'backup {agentJob} of store {agentStore} works again' },
  },
  'backup-missed': {
    title: { id: 'Backup {agentJob} toko {agentStore} tidak berjalan (agen toko)', en: 'Backup {agentJob} of store {agentStore} did not run (shop agent)' },
    todo: { id: 'Agen toko masih melapor, tetapi backup tidak dimulai. Periksa jadwal di agent.json dan log agen; jalankan `tokobot doctor` di komputer toko.',
      en: 'The shop agent still reports, but the backup did not start. Check the schedule in agent.json and the agent\'s log; run `tokobot doctor` on the shop PC.' },
    resolved: { id: 'backup {agentJob} toko {agentStore} berjalan lagi sesuai jadwal', en: 'backup {agentJob} of store {agentStore} runs on schedule again' },
  },
};

/** The zone an alert's times are shown in: its store's (params.zone), else the reader's. */
const zoneOf = (a: Pick<OpenAlert, 'params'>, reader: Locale) => (typeof a.params.zone === 'string' ? a.params.zone : reader.zone);

/** When `at` was, for this alert's reader. */
export const alertTime = (a: Pick<OpenAlert, 'params'>, at: Date, reader: Locale): string => formatTime(at, zoneOf(a, reader), reader.lang);

function fill(text: string, params: Params, a: Pick<OpenAlert, 'params'>, reader: Locale): string {
  // An instant in a param (ISO, as stored): each reader sees it in their language and the alert's zone.
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => localTimes(String(params[k] ?? '?'), zoneOf(a, reader), reader.lang));
}

/** The params of an alert about a store: its times are shown in the store's zone. */
export const storeParams = (store: { timeZone?: string }): Params => (store.timeZone ? { zone: store.timeZone } : {});

/**
 * Alert params for a failure's kind and system (sync-failed, backup-failed, source-unreachable): kept with the alert, so that
 * each recipient's message leads with the owner's headline in their language.
 */
export const failureParams = (facts: ErrorFacts | null | undefined): Params => (facts ? { errorKind: facts.kind, errorSystem: facts.system } : {});

/**
 * Alert params of a job named agentJobName(store, job) (a shop agent's): which store's agent, which
 * job, for its own texts (AGENT_JOB); with the store's config, its name and zone. None for other jobs.
 */
export const agentJobParams = (job: string, store?: { name: string; timeZone?: string }): Params => {
  const slash = job.indexOf('/');
  if (slash <= 0) return {};
  return { agentStore: store?.name ?? job.slice(0, slash), agentJob: job.slice(slash + 1), ...(store ? storeParams(store) : {}) };
};

/**
 * Alert params for an error's detail: the English (`error`), and the Indonesian (`errorId`) when
 * it was written; each reader's message shows the one in their language.
 */
export const errorParams = (error: string, errorId: string | undefined): Params => (errorId ? { error, errorId } : { error });

function parts(a: Pick<OpenAlert, 'kind' | 'subject' | 'params'>, reader: Locale) {
  const k = { ...KINDS[a.kind], ...(typeof a.params.agentJob === 'string' ? AGENT_JOB[a.kind] : undefined) };
  const inId = reader.lang === 'id' && typeof a.params.errorId === 'string';
  const params = { ...a.params, subject: a.subject, ...(inId ? { error: a.params.errorId! } : {}) };
  const say = (text: Text) => fill(text[reader.lang], params, a, reader);
  const facts = parseErrorFacts(a.params.errorKind, a.params.errorSystem);
  // The machine that ran it, in a fleet whose workers run on several (WORKER_NAME).
  const where = typeof a.params.machine === 'string' && a.kind !== 'worker-down' ? [`${WORDS.machine[reader.lang]}: ${a.params.machine}`] : [];
  return { title: say(k.title), detail: say(k.detail), todo: say(k.todo), resolved: say(k.resolved), headline: facts ? [ownerMessage(facts, reader.lang)] : [], where };
}

const WORDS = {
  since: { id: 'Sejak', en: 'Since' }, still: { id: 'Masih', en: 'Still' }, recovered: { id: 'Pulih', en: 'Recovered' },
  lasted: { id: 'Masalah berlangsung dari {from} sampai {to}.', en: 'The problem lasted from {from} to {to}.' },
  updates: { id: '{n} kabar peringatan', en: '{n} alert updates' }, machine: { id: 'Mesin', en: 'Machine' }, details: { id: 'Kirim /alerts untuk rinciannya.', en: 'Send /alerts for details.' },
} satisfies Record<string, Text>;

const shown = (s: Severity): Message['severity'] => (s === 'critical' ? 'error' : 'warning');
const since = (a: OpenAlert, reader: Locale) => `${WORDS.since[reader.lang]}: ${alertTime(a, a.openedAt, reader)}`;
const recovered = (a: OpenAlert, reader: Locale) => `${WORDS.recovered[reader.lang]}: ${parts(a, reader).resolved}`;

export function openMessage(a: OpenAlert, reader: Locale): Message {
  const p = parts(a, reader);
  return { severity: shown(a.severity), title: p.title, lines: [...p.headline, p.detail, ...p.where, since(a, reader), p.todo] };
}

export function remindMessage(a: OpenAlert, reader: Locale): Message {
  const p = parts(a, reader);
  return { severity: shown(a.severity), title: `${WORDS.still[reader.lang]}: ${p.title}`, lines: [...p.headline, p.detail, ...p.where, since(a, reader), p.todo] };
}

/** Says what is well again ("Pulih: sync Toko Pusat berhasil lagi"), not the failure's title. */
export function resolvedMessage(a: OpenAlert, reader: Locale, at: Date): Message {
  const lasted = WORDS.lasted[reader.lang].replace('{from}', alertTime(a, a.openedAt, reader)).replace('{to}', alertTime(a, at, reader));
  return { severity: 'info', title: `✅ ${recovered(a, reader)}`, lines: [lasted] };
}

/** Several alerts at once for one recipient: one message, one line each; as severe as the worst still open. */
export function digestMessage(items: { alert: OpenAlert; event: 'open' | 'remind' | 'resolve' }[], reader: Locale): Message {
  const mark = (a: OpenAlert, event: string) => (event === 'remind' ? '⏰' : event === 'resolve' ? '✅' : a.severity === 'critical' ? '❗' : '⚠️');
  const open = items.filter((i) => i.event !== 'resolve').map((i) => i.alert.severity);
  const severity = open.includes('critical') ? 'error' : open.length ? 'warning' : 'info';
  return {
    severity, title: WORDS.updates[reader.lang].replace('{n}', String(items.length)),
    lines: [...items.map(({ alert, event }) => {
      if (event === 'resolve') return `${mark(alert, event)} ${recovered(alert, reader)}`;
      const p = parts(alert, reader);
      return `${mark(alert, event)} ${p.title}: ${p.detail}`;
    }), WORDS.details[reader.lang]],
  };
}

export function alertTitle(a: Pick<OpenAlert, 'kind' | 'subject' | 'params'>, reader: Locale): string {
  return parts(a, reader).title;
}
