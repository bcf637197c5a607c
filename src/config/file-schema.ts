import { z } from 'zod';
import { jobSchema } from './job-schema.ts';
import { timeZone } from './time-zone.ts';
import { problem } from './config-issues.ts';

const storeId = z.string().regex(/^[a-z0-9_]{1,32}$/, problem('storeId'));

const storeSchema = z
  .object({
    id: storeId,
    name: z.string().min(1).optional(),
    dropboxFolder: z.string().min(1).optional(),
    dir: z.string().min(1).optional(),
    /** Alert when this store has had no new backup for this many hours (default STALE_BACKUP_HOURS). */
    staleHours: z.number().int().min(1).optional(),
    /** The shop's time zone when it differs from STORE_TZ (a branch in Makassar: Asia/Makassar). */
    timeZone: timeZone.optional(),
  })
  .strict()
  .refine((s) => Boolean(s.dropboxFolder) !== Boolean(s.dir), {
    message: problem('folderOrDir'),
  });

/** The config file (TOKOBOT_CONFIG). Later features add their own sections here. */
export const fileSchema = z
  .object({
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
          /** Unset: TOKOBOT_LANG (or the locale's). */
          lang: z.enum(['id', 'en']).optional(),
          severities: z.array(z.enum(['warning', 'critical'])).min(1).default(['warning', 'critical']),
        }).strict().refine((r) => r.telegram !== undefined || r.whatsapp !== undefined, { message: problem('telegramOrWhatsApp') })),
      })
      .strict()
      .optional(),
  })
  .strict();

export type FileConfig = z.infer<typeof fileSchema>;
