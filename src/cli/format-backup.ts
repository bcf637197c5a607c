import type { BackupProgress } from '../pipeline/backup/backup-job.ts';
import type { BackupRun } from '../store/backup-log.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { PruneResult } from '../pipeline/backup/prune.ts';

export const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const time = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function backupProgressLine(job: string, p: BackupProgress): string {
  if (p.stage === 'upload' && p.total) return `[${job}] upload to ${p.destination}: ${Math.floor(((p.done ?? 0) / p.total) * 100)}% of ${mb(p.total)}`;
  if (p.stage === 'dump' && p.done !== undefined) return `[${job}] dump: ${mb(p.done)} written${p.rows ? `, ${p.rows} rows` : ''}`;
  return `[${job}] ${p.stage}`;
}

export function backupRunLines(run: BackupRun): string[] {
  if (run.status !== 'success') return [`[${run.job}] backup FAILED: ${run.error ?? run.status}`];
  return [
    `[${run.job}] backup ${run.fileName}: ${mb(run.bytes ?? 0)}, sha256 ${run.sha256}`,
    `  verification: ${run.verification?.detail ?? 'none'}`,
    ...run.destinations.map((d) => `  stored: ${d.location ?? d.destination}`),
  ];
}

export function jobStateLines(s: JobState): string[] {
  const j = s.job;
  const lines = [`${j.id} (${j.type}${j.passphrase ? ', encrypted' : ''}) → ${j.destinations.map((d) => (d.type === 'local' ? d.dir : `Dropbox ${d.folder}`)).join(', ')}`];
  lines.push(`  schedule: ${j.schedule ?? 'none (on demand only)'}${s.nextRun ? `, next ${time(s.nextRun)}` : ''}`);
  if (s.running) lines.push(`  running now: ${s.running.stage}`);
  if (s.last) lines.push(`  last run: ${s.last.status} ${time(s.last.startedAt)}${s.last.error ? ` — ${s.last.error}` : ''}`);
  else lines.push('  last run: never');
  if (s.lastGood && s.lastGood.id !== s.last?.id) lines.push(`  last good: ${time(s.lastGood.startedAt)} ${s.lastGood.fileName}`);
  return lines;
}

const verbs = { keep: ['keep  ', 'keep  '], leave: ['leave ', 'leave '], delete: ['delete', 'deleted'] } as const;

export function pruneLines(job: string, r: PruneResult, dryRun: boolean): string[] {
  const lines = [`[${job}] ${r.destination}:${r.error ? ` could not prune: ${r.error}` : ''}`];
  for (const d of r.decisions) lines.push(`  ${verbs[d.action][dryRun ? 0 : 1]} ${d.name} (${mb(d.size)}): ${d.reasons.join('; ')}`);
  if (!r.decisions.length && !r.error) lines.push('  no backups of this job here');
  return lines;
}
