import { validCron } from './cron-text.ts';
import { z } from 'zod';
import { jobSchema } from './job-schema.ts';
import { timeZone } from './time-zone.ts';
import { problem } from './config-issues.ts';
import { EMAIL_ADDRESS } from './env-schema.ts';
import { parseDailyTime, parseWeeklyTime } from '../pipeline/reports/digest-schedule.ts';

const storeId = z.string().regex(/^[a-z0-9_]{1,32}$/, problem('storeId'));

/**
 * A store's sync schedule: what node-cron accepts, in the 5 fields of a crontab (minute hour day
 * month weekday). node-cron also takes a leading seconds field, which the queue's cron
 * (graphile-worker, minute resolution) does not.
 */
const schedule = z.string().trim().superRefine((value, ctx) => {
  if (!validCron(value)) ctx.addIssue({ code: 'custom', message: problem('storeCron'), params: { value } });
});

const storeSchema = z
  .object({
    id: storeId,
    name: z.string().min(1).optional(),
    dropboxFolder: z.string().min(1).optional(),
    dir: z.string().min(1).optional(),
    /** When tokobot syncs this store (cron, 5 fields, in the store's time zone; default storeDefaults.schedule, then SYNC_CRON). */
    schedule: schedule.optional(),
    /** Alert when this store has had no new backup for this many hours (default storeDefaults.staleHours, then STALE_BACKUP_HOURS). */
    staleHours: z.number().int().min(1).optional(),
    /** The shop's time zone when it differs from STORE_TZ (a branch in Makassar: Asia/Makassar). */
    timeZone: timeZone.optional(),
  })
  .strict()
  // Neither is allowed when storeDefaults.dropboxRoot gives the folder: checked with the whole file.
  .refine((s) => !(s.dropboxFolder && s.dir), { message: problem('folderOrDir') });

/** What every store in `stores` has unless it says otherwise: a fleet of 200 shops lists only what differs. */
const storeDefaultsSchema = z
  .object({
    schedule: schedule.optional(),
    staleHours: z.number().int().min(1).optional(),
    timeZone: timeZone.optional(),
    /** A store with neither dropboxFolder nor dir reads <dropboxRoot>/<store id>. */
    dropboxRoot: z.string().min(1).optional(),
  })
  .strict();

/** The config file (TOKOBOT_CONFIG). Later features add their own sections here. */
export const fileSchema = z
  .object({
    storeDefaults: storeDefaultsSchema.optional(),
    stores: z.array(storeSchema).min(1, problem('someStore')).optional(),
    telegram: z
      .object({
        owners: z.array(z.number().int().positive()).optional(),
        admins: z.array(z.number().int().positive()).optional(),
        staff: z.array(z.number().int().positive()).optional(),
      })
      .strict()
      .optional(),
    jobs: z.array(jobSchema).optional(),
    alerts: z
      .object({
        recipients: z.array(z.object({
          name: z.string().min(1),
          telegram: z.number().int().optional(),
          whatsapp: z.string().regex(/^\+?\d{8,15}$/, problem('phoneNumber')).optional(),
          email: z.string().trim().regex(EMAIL_ADDRESS, problem('emailAddress')).optional(),
          /** Unset: TOKOBOT_LANG (or the locale's). */
          lang: z.enum(['id', 'en']).optional(),
          severities: z.array(z.enum(['warning', 'critical'])).min(1).default(['warning', 'critical']),
          /** Set: only the alerts about these stores (a branch manager); unset: every alert (head office). */
          stores: z.array(storeId).min(1).optional(),
          /** When the reports come (store zone): daily "07:00" and weekly "mon 07:00" by default; false: none. */
          digest: z.object({
            daily: z.union([z.literal(false), z.string().refine((t) => parseDailyTime(t) !== null, { message: problem('digestDaily') })]).optional(),
            weekly: z.union([z.literal(false), z.string().refine((t) => parseWeeklyTime(t) !== null, { message: problem('digestWeekly') })]).optional(),
          }).strict().optional(),
        }).strict().refine((r) => r.telegram !== undefined || r.whatsapp !== undefined || r.email !== undefined, { message: problem('telegramOrWhatsApp') })),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.storeDefaults?.dropboxRoot) return;
    for (const [i, s] of (file.stores ?? []).entries()) {
      if (!s.dropboxFolder && !s.dir) ctx.addIssue({ code: 'custom', message: problem('folderDirOrRoot'), path: ['stores', i] });
    }
  });

export type FileConfig = z.infer<typeof fileSchema>;
