import { describeError, isAppError } from '../../errors.ts';
import type { Runner } from './runner.ts';

/** How asking for a run went: it began (its first stage is under way), one already runs (here: its stage; elsewhere: null), or it could not start. */
export type RunStart = { started: true } | { busy: string | null } | { failed: string };

/**
 * Starts a run of `subject` and answers once it has begun (lock taken, first stage recorded) or
 * was refused, without waiting for its end: for a front end (the dashboard) that shows the run's
 * progress elsewhere. How the run ends is the runner's to report (onFinished); a run that could
 * not even begin is logged here.
 */
export async function startRun<S, P extends { stage: string }, O>(runner: Runner<S, P, O>, subject: S, id: string, trigger: string,
  logger: { warn: (o: object, msg: string) => void }): Promise<RunStart> {
  const here = runner.progress(id);
  if (here) return { busy: here.stage };
  let begun: (value: RunStart) => void = () => undefined;
  const first = new Promise<RunStart>((resolve) => { begun = resolve; });
  const done = runner.run(subject, trigger, () => begun({ started: true }));
  return Promise.race([first, done.then((): RunStart => ({ started: true }), (err: unknown): RunStart => {
    if (isAppError(err) && err.kind === 'busy') return { busy: runner.progress(id)?.stage ?? null };
    logger.warn({ err, subject: id }, 'a run asked for from the dashboard did not start');
    return { failed: describeError(err) };
  })]);
}
