import type { BackupProgress } from '../pipeline/backup/backup-job.ts';
import type { BackupRun } from '../store/backup-log.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { PruneResult } from '../pipeline/backup/prune.ts';
import { formatTime } from '../i18n/format-time.ts';
import { reasonsText } from '../i18n/retention-words.ts';
import { runWord } from '../i18n/status-words.ts';
import { t, type Lang, type Locale } from '../i18n/text.ts';
import { megabytes } from '../i18n/format-number.ts';
import { restoreCheckLine } from '../i18n/restore-check-words.ts';
import { destinationLabel } from '../config/jobs-from.ts';


export function backupProgressLine(job: string, p: BackupProgress, lang: Lang): string {
  if (p.stage === 'upload' && p.total) {
    return t(lang, 'backupUploading', { job, destination: p.destination ?? '', percent: Math.floor(((p.done ?? 0) / p.total) * 100), size: megabytes(p.total, lang) });
  }
  if (p.stage === 'dump' && p.done !== undefined) return `${t(lang, 'backupDumped', { job, size: megabytes(p.done, lang) })}${p.rows ? `, ${t(lang, 'backupRows', { rows: p.rows })}` : ''}`;
  return `[${job}] ${p.stage}`;
}

/** The verification's per-table restore check as an indented line, when the run made one. */
const checkLines = (run: BackupRun, lang: Lang): string[] => (run.verification?.restoreCheck ? [`  ${restoreCheckLine(run.verification.restoreCheck, lang)}`] : []);

export function backupRunLines(run: BackupRun, lang: Lang): string[] {
  if (run.status !== 'success') return [t(lang, 'backupRunFailed', { job: run.job, error: (lang === 'id' ? run.errorId : undefined) ?? run.error ?? runWord(run.status, lang) }), ...checkLines(run, lang)];
  return [
    t(lang, 'backupMade', { job: run.job, file: run.fileName ?? '', size: megabytes(run.bytes ?? 0, lang), sha256: run.sha256 ?? '' }),
    `  ${t(lang, 'backupVerification', { detail: run.verification?.detail ?? t(lang, 'backupNone') })}`,
    ...checkLines(run, lang),
    ...run.destinations.map((d) => `  ${t(lang, 'backupStored', { where: d.location ?? d.destination })}`),
  ];
}

/** A job in `tokobot backup list`: its times in STORE_TZ (`locale.zone`), the zone named. */
export function jobStateLines(s: JobState, { lang, zone }: Locale): string[] {
  const j = s.job;
  const time = (d: Date) => formatTime(d, zone, lang);
  const where = j.destinations.map(destinationLabel).join(', ');
  const lines = [`${j.id} (${j.type}${j.passphrase ? `, ${t(lang, 'jobEncrypted')}` : ''}) → ${where}`];
  const next = s.nextRun ? `, ${t(lang, 'jobNext', { time: time(s.nextRun) })}` : '';
  lines.push(`  ${t(lang, 'jobSchedule', { schedule: j.schedule ?? t(lang, 'jobOnDemand') })}${next}`);
  if (s.running) lines.push(`  ${t(lang, 'jobRunning', { stage: s.running.stage })}`);
  if (s.last) lines.push(`  ${t(lang, 'jobLastRun', { status: runWord(s.last.status, lang), time: time(s.last.startedAt) })}${s.last.error ? ` — ${s.last.error}` : ''}`, ...checkLines(s.last, lang));
  else lines.push(`  ${t(lang, 'jobNever')}`);
  if (s.lastGood && s.lastGood.id !== s.last?.id) lines.push(`  ${t(lang, 'jobLastGood', { time: time(s.lastGood.startedAt), file: s.lastGood.fileName ?? '' })}`);
  return lines;
}

/** A recent run in `tokobot backup list`. */
export function recentRunLine(r: BackupRun, { lang, zone }: Locale): string {
  return `  ${formatTime(r.startedAt, zone, lang)} ${r.job} ${runWord(r.status, lang)} (${r.trigger})${r.fileName ? ` ${r.fileName}` : ''}${r.error ? ` — ${r.error}` : ''}`;
}

/** What each verb is called, as a plan (--dry-run) and as done; padded to line up. */
const VERBS = { keep: ['pruneKeep', 'pruneKeep'], leave: ['pruneLeave', 'pruneLeave'], delete: ['pruneDelete', 'pruneDeleted'] } as const;

export function pruneLines(job: string, r: PruneResult, dryRun: boolean, lang: Lang): string[] {
  const lines = [`[${job}] ${r.destination}:${r.error ? ` ${t(lang, 'pruneFailed', { error: r.error })}` : ''}`];
  const verb = (action: keyof typeof VERBS) => t(lang, VERBS[action][dryRun ? 0 : 1]);
  const width = Math.max(...Object.keys(VERBS).map((a) => verb(a as keyof typeof VERBS).length));
  for (const d of r.decisions) lines.push(`  ${verb(d.action).padEnd(width)} ${d.name} (${megabytes(d.size, lang)}): ${reasonsText(lang, d.reasons)}`);
  if (!r.decisions.length && !r.error) lines.push(`  ${t(lang, 'pruneNothing')}`);
  return lines;
}
