import { isAppError } from '../errors.ts';
import { ownerMessage } from '../owner-messages.ts';
import type { BackupProgress } from '../pipeline/backup/backup-job.ts';
import type { BackupRun } from '../store/backup-log.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { ButtonCodec } from './button-codec.ts';
import type { CoreDeps, Who } from './context.ts';
import { t, type Lang, type Locale } from '../i18n/text.ts';
import { formatTime } from '../i18n/format-time.ts';
import { runWord } from '../i18n/status-words.ts';
import { restoreCheckLine } from '../i18n/restore-check-words.ts';
import { progressEdits, type Reply } from './reply.ts';

const mb = (n: number) => `${(n / 1048576).toFixed(1).replace('.', ',')} MB`;

const STAGE: Record<BackupProgress['stage'], { id: string; en: string }> = {
  dump: { id: 'dump', en: 'dumping' }, verify: { id: 'uji restore', en: 'verifying' }, encrypt: { id: 'enkripsi', en: 'encrypting' },
  upload: { id: 'kirim', en: 'uploading' }, prune: { id: 'retensi', en: 'retention' },
};

function backupProgressText(job: string, p: BackupProgress, lang: Lang): string {
  const stage = STAGE[p.stage][lang];
  if (p.stage === 'upload' && p.total) return `${job}: ${stage} ${p.destination ?? ''} ${Math.floor(((p.done ?? 0) / p.total) * 100)}% (${mb(p.total)})…`;
  if (p.stage === 'dump' && p.done) return `${job}: ${stage} ${mb(p.done)}${p.rows ? `, ${p.rows} ${lang === 'id' ? 'baris' : 'rows'}` : ''}…`;
  return `${job}: ${stage}…`;
}

/** The owner's headline for a failed run whose error was a known kind. */
const headline = (run: BackupRun, lang: Lang): string[] => (run.failure ? [ownerMessage(run.failure, lang)] : []);

/** The verification's per-table restore check, when it made one (runs before issue 17 have none). */
const checkLines = (run: BackupRun, lang: Lang): string[] => (run.verification?.restoreCheck ? [restoreCheckLine(run.verification.restoreCheck, lang)] : []);

function resultReply(run: BackupRun, lang: Lang): Reply {
  if (run.status !== 'success') {
    return { severity: 'error', title: run.job, lines: [...headline(run, lang), t(lang, 'backupFailed', { job: run.job, error: (lang === 'id' ? run.errorId : undefined) ?? run.error ?? runWord(run.status, lang) }), ...checkLines(run, lang)] };
  }
  return {
    severity: 'info', title: run.job,
    lines: [
      t(lang, 'backupDone', { job: run.job, file: run.fileName ?? '', size: mb(run.bytes ?? 0) }),
      `SHA-256 ${run.sha256}`,
      `${lang === 'id' ? 'Uji' : 'Check'}: ${run.verification?.detail ?? '-'}`,
      ...checkLines(run, lang),
      ...run.destinations.map((d) => `→ ${d.location ?? d.destination}`),
    ],
  };
}

/** /backup: the jobs as buttons, or the named job run with a message that follows its progress. */
export async function backupReply(deps: CoreDeps, who: Who, jobId: string, buttons: Pick<ButtonCodec, 'encode'>): Promise<Reply> {
  const ids = deps.backups.jobs.map((j) => j.id);
  if (!ids.length) return { severity: 'warning', lines: [t(who.lang, 'noJobs')] };
  if (!jobId) {
    const rows = await Promise.all(ids.map(async (id) => [{ text: id, data: await buttons.encode({ kind: 'backup', job: id }) }]));
    return { severity: 'info', lines: [t(who.lang, 'pickJob')], buttons: rows };
  }
  const job = deps.backups.jobs.find((j) => j.id === jobId.toLowerCase());
  if (!job) return { severity: 'warning', lines: [t(who.lang, 'unknownJob', { job: jobId, list: ids.join(', ') })] };
  const running = deps.backups.progress(job.id);
  if (running) return { severity: 'warning', lines: [t(who.lang, 'backupBusy', { job: job.id, stage: backupProgressText(job.id, running, who.lang) })] };
  return {
    severity: 'info', title: job.id, lines: [t(who.lang, 'backupStarted', { job: job.id })],
    live: async (update) => {
      const onProgress = progressEdits<BackupProgress>(update, (p) => ({ severity: 'info', title: job.id, lines: [backupProgressText(job.id, p, who.lang)] }));
      try {
        return resultReply(await deps.backups.run(job.id, `chat:${who.id}`, onProgress), who.lang);
      } catch (err) {
        if (isAppError(err) && err.kind === 'busy') return { severity: 'warning', lines: [t(who.lang, 'backupBusy', { job: job.id, stage: 'backup' })] };
        throw err;
      }
    },
  };
}

/** A job's schedule and last runs; its times in `reader.zone` (STORE_TZ: a job belongs to no store). */
export function jobLines(s: JobState, reader: Locale): string[] {
  const { lang } = reader;
  const id = lang === 'id';
  const time = (d: Date) => formatTime(d, reader.zone, lang);
  const lines = [`${s.job.id} (${s.job.type})`];
  lines.push(`  ${id ? 'Jadwal' : 'Schedule'}: ${s.job.schedule ?? (id ? 'manual saja' : 'on demand only')}${s.nextRun ? ` · ${id ? 'berikutnya' : 'next'} ${time(s.nextRun)}` : ''}`);
  if (s.running) lines.push(`  ${id ? 'Sedang berjalan' : 'Running'}: ${backupProgressText(s.job.id, s.running, lang)}`);
  if (!s.last) lines.push(`  ${id ? 'Belum pernah jalan' : 'Never run yet'}`);
  else if (s.last.status === 'success') lines.push(`  ${id ? 'Terakhir' : 'Last'}: OK ${time(s.last.startedAt)} · ${s.last.fileName} · ${mb(s.last.bytes ?? 0)}`);
  else {
    lines.push(`  ${id ? 'Terakhir' : 'Last'}: ${runWord(s.last.status, lang).toUpperCase()} ${time(s.last.startedAt)}${s.last.error ? ` · ${s.last.error.slice(0, 200)}` : ''}`);
    lines.push(...headline(s.last, lang).map((h) => `  ${h}`));
    lines.push(`  ${id ? 'Terakhir berhasil' : 'Last good'}: ${s.lastGood ? `${time(s.lastGood.startedAt)} · ${s.lastGood.fileName}` : '-'}`);
  }
  return lines;
}

export function jobsSeverity(states: JobState[]): Reply['severity'] {
  return states.some((s) => s.last?.status === 'failed') ? 'error' : 'info';
}

/** /jobs: each job's schedule, next run and last result. */
export async function jobsReply(deps: CoreDeps, who: Who): Promise<Reply> {
  const states = await deps.backups.states();
  if (!states.length) return { severity: 'info', lines: [t(who.lang, 'noJobs')] };
  return { severity: jobsSeverity(states), title: t(who.lang, 'backupsTitle'), lines: states.flatMap((s) => jobLines(s, { lang: who.lang, zone: deps.zone })) };
}
