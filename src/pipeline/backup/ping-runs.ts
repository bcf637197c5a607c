import { randomUUID } from 'node:crypto';
import type { JobConfig } from '../../config/jobs-from.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import type { Runner } from '../runs/runner.ts';
import type { RunPings } from './ports.ts';

/** A good run in one line of English, as the run log says it: what the monitor keeps beside the ping. */
export function runSummaryText(run: BackupRun): string {
  const stored = run.destinations.map((d) => d.location ?? d.destination).join(', ');
  return [
    `${run.job}: ${run.fileName ?? 'no file'}, ${run.bytes ?? 0} bytes, sha256 ${run.sha256 ?? '-'}`,
    `verification: ${run.verification?.detail ?? 'none'}`,
    `stored in ${stored || 'no destination'}`,
  ].join('; ');
}

/**
 * Every run `runner` starts is reported to `pings` (the job's own monitor, when its config names
 * one): start as it begins, then success or fail with the same run UUID. The pings never hold the
 * run nor the listeners after this one: they go out in the background, the end after the start
 * (so the monitor sees them in order). settled() resolves when those sent so far are done, for a
 * process that wants them out before it exits (each is bounded: RunPings).
 */
export function pingRuns<P extends { stage: string }>(runner: Runner<JobConfig, P, BackupRun>, pings: RunPings): { settled(): Promise<void> } {
  // One run per job at a time in a process (Runner), so the job's id finds its run.
  const open = new Map<string, { runId: string; started: Promise<void> }>();
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  };
  runner.onStarted((job) => {
    const runId = randomUUID();
    open.set(job.id, { runId, started: track(pings.start(job, runId)) });
  });
  runner.onFinished((run, job) => {
    const begun = open.get(job.id) ?? { runId: randomUUID(), started: Promise.resolve() };
    open.delete(job.id);
    const durationMs = (run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime();
    track(begun.started.then(() => (run.status === 'success'
      ? pings.success(job, begun.runId, { durationMs, text: runSummaryText(run) })
      : pings.fail(job, begun.runId, run.error ?? `the run ended ${run.status}`))));
  });
  return { settled: async () => { await Promise.all([...pending]); } };
}
