import cron from 'node-cron';

/**
 * A schedule tokobot can keep: five fields (minute hour day month weekday) that node-cron reads.
 * A seconds field is refused: the job queue's cron, which fires a schedule once however many
 * workers run, counts in minutes.
 */
export function validCron(text: string): boolean {
  return text.trim().split(/\s+/).length === 5 && cron.validate(text);
}
