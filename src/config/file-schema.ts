import { z } from 'zod';
import { jobSchema } from './job-schema.ts';

const storeId = z.string().regex(/^[a-z0-9_]{1,32}$/, 'expected 1-32 characters a-z, 0-9 or _');

export const storeSchema = z
  .object({
    id: storeId,
    name: z.string().min(1).optional(),
    dropboxFolder: z.string().min(1).optional(),
    dir: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => Boolean(s.dropboxFolder) !== Boolean(s.dir), {
    message: 'give exactly one of dropboxFolder or dir',
  });

/** The config file (TOKOBOT_CONFIG). Later features add their own sections here. */
export const fileSchema = z
  .object({
    stores: z.array(storeSchema).min(1, 'list at least one store').optional(),
    telegram: z
      .object({
        owners: z.array(z.number().int().positive()).optional(),
        admins: z.array(z.number().int().positive()).optional(),
        staff: z.array(z.number().int().positive()).optional(),
      })
      .strict()
      .optional(),
    jobs: z.array(jobSchema).optional(),
  })
  .strict();

export type FileConfig = z.infer<typeof fileSchema>;
