import type { JobRun } from '../ports.ts';
import type { DigestFiring } from './digest-schedule.ts';
import { sendDigests, type SendDigestsDeps } from './send-digests.ts';

/** A queued digest job's payload, checked: anything else is logged and dropped, never guessed at. */
function readFiring(payload: unknown): DigestFiring | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  const period = p.period === 'day' || p.period === 'week' ? p.period : null;
  return period && typeof p.cron === 'string' && /^[\d*/,-]+( [\d*/,-]+){4}$/.test(p.cron) ? { period, cron: p.cron } : null;
}

/**
 * The queue's 'digest' task: the reports due at this firing, queued in the outbox. A failure
 * (the ops database out of reach, a renderer that threw) is thrown for the engine to try again:
 * recipients already queued are not queued twice (sendDigests' keys).
 */
export function digestTask(deps: SendDigestsDeps, logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }): (job: JobRun) => Promise<void> {
  return async (job) => {
    const firing = readFiring(job.payload);
    if (!firing) return void logger.error({ payload: job.payload }, 'a queued digest job names no period and time; it was dropped');
    const { queued, already } = await sendDigests(deps, firing);
    logger.info({ period: firing.period, cron: firing.cron, queued, already }, `reports: ${queued} queued for sending`);
  };
}
