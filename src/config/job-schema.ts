import { z } from 'zod';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable, e.g. SHOP_DB_URL');
const cronText = z.string().min(1);
const keep = z.number().int().min(0);

const destinationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), dir: z.string().min(1) }).strict(),
  z.object({ type: z.literal('dropbox'), folder: z.string().min(1) }).strict(),
], { message: 'expected { type: local, dir } or { type: dropbox, folder }' });

/** One backup job in the config file's `jobs` section. */
export const jobSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'expected 1-40 characters a-z, 0-9, _ or - (it starts the file names)'),
    type: z.enum(['postgres', 'mysql']),
    url: z.string().min(1).optional(),
    urlEnv: envName.optional(),
    container: z.string().min(1).optional(),
    ipos: z.boolean().default(false),
    schedule: cronText.optional(),
    destinations: z.array(destinationSchema).min(1, 'list at least one destination'),
    retention: z.object({ keepLast: keep.default(7), daily: keep.default(7), weekly: keep.default(4), monthly: keep.default(6) }).strict().default(
      { keepLast: 7, daily: 7, weekly: 4, monthly: 6 }),
    encryption: z.object({ passphraseEnv: envName }).strict().optional(),
    verify: z.boolean().default(true),
    timeoutMinutes: z.number().int().min(1).max(24 * 60).default(60),
  })
  .strict()
  .refine((j) => Boolean(j.url) !== Boolean(j.urlEnv), { message: 'give exactly one of url or urlEnv' })
  .refine((j) => !j.ipos || j.type === 'postgres', { message: 'ipos: only a postgres job can hold an iPOS database' })
  .refine((j) => !j.container || j.type === 'postgres', { message: 'container: only postgres jobs run their dump inside a container' });

export type JobFileConfig = z.infer<typeof jobSchema>;
