import cron from 'node-cron';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * The schedule as the job queue's cron (graphile-worker) reads it: digits only, weekdays 0–6.
 * node-cron also takes month and day names ("mon-fri") and 7 for Sunday.
 */
export function numericCron(text: string): string {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return text;
  const named = (field: string, names: string[], first: number) =>
    field.replace(/[a-z]+/gi, (word) => { const i = names.indexOf(word.slice(0, 3).toLowerCase()); return i < 0 ? word : String(i + first); });
  fields[3] = named(fields[3]!, MONTHS, 1);
  fields[4] = named(fields[4]!, DAYS, 0).split(',').map((part) => {
    if (part === '7') return '0';
    const range = /^(\d)-7$/.exec(part);
    return range ? `${range[1]}-6,0` : part;
  }).join(',');
  return fields.join(' ');
}

/**
 * A schedule tokobot can keep: five fields (minute hour day month weekday) that node-cron reads
 * (the next runs shown) and the job queue's cron can read once made numeric. A seconds field is
 * refused: the queue's cron counts in minutes.
 */
export function validCron(text: string): boolean {
  return text.trim().split(/\s+/).length === 5 && cron.validate(text) && numericCron(text).split(' ').every((f) => /^[\d*/,-]+$/.test(f));
}
