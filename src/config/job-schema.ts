import { z } from 'zod';
import { problem } from './config-issues.ts';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, problem('envName'));
const cronText = z.string().min(1);
const keep = z.number().int().min(0);

const port = z.number().int().min(1).max(65535);

/** An FTP or FTPS server (README: backup jobs); the password only through an environment variable, as every secret. */
const ftpSchema = z.object({
  type: z.literal('ftp'),
  host: z.string().min(1),
  port: port.optional(),
  user: z.string().min(1),
  dir: z.string().min(1),
  passwordEnv: envName,
  /** true: explicit FTPS (AUTH TLS); 'implicit': TLS from the first byte (port 990). */
  secure: z.union([z.boolean(), z.literal('implicit')]).default(false),
  /** false accepts any certificate (self-signed): encrypted, but anyone in between could pose as the server. */
  checkCertificate: z.boolean().default(true),
}).strict();

/** An SSH server over SFTP: a password or a private key file, and the server's host key pinned. */
const sftpSchema = z.object({
  type: z.literal('sftp'),
  host: z.string().min(1),
  port: port.default(22),
  user: z.string().min(1),
  dir: z.string().min(1),
  passwordEnv: envName.optional(),
  privateKeyPath: z.string().min(1).optional(),
  /** The key file's passphrase, when it has one (ssh-keygen -N). */
  passphraseEnv: envName.optional(),
  hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, problem('hostKey')).optional(),
}).strict().refine((d) => Boolean(d.passwordEnv) !== Boolean(d.privateKeyPath), { message: problem('passwordOrKey') })
  .refine((d) => !d.passphraseEnv || d.privateKeyPath, { message: problem('passphraseForKey'), path: ['passphraseEnv'] });

const destinationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), dir: z.string().min(1) }).strict(),
  z.object({ type: z.literal('dropbox'), folder: z.string().min(1) }).strict(),
  ftpSchema,
  sftpSchema,
], { message: problem('destination') });

/** A monitor the job's runs are also reported to (README: backup jobs, ping); its URL is a secret, as the database's. */
const pingSchema = z
  .object({
    url: z.string().min(1).optional(),
    urlEnv: envName.optional(),
    style: z.enum(['healthchecks', 'uptime-kuma']).default('healthchecks'),
  })
  .strict()
  .refine((p) => Boolean(p.url) !== Boolean(p.urlEnv), { message: problem('urlOrUrlEnv') });

/** One backup job in the config file's `jobs` section. */
export const jobSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, problem('jobId')),
    /** tokobot: tokobot's own settings (config file, ops database, key files), to rebuild a lost server (README: Rebuilding a lost server). */
    type: z.enum(['postgres', 'mysql', 'tokobot']),
    url: z.string().min(1).optional(),
    urlEnv: envName.optional(),
    container: z.string().min(1).optional(),
    ipos: z.boolean().default(false),
    schedule: cronText.optional(),
    destinations: z.array(destinationSchema).min(1, problem('someDestination')),
    retention: z.object({ keepLast: keep.default(7), daily: keep.default(7), weekly: keep.default(4), monthly: keep.default(6) }).strict().default(
      { keepLast: 7, daily: 7, weekly: 4, monthly: 6 }),
    encryption: z.object({ passphraseEnv: envName }).strict().optional(),
    verify: z.boolean().default(true),
    timeoutMinutes: z.number().int().min(1).max(24 * 60).default(60),
    ping: pingSchema.optional(),
  })
  .strict()
  .refine((j) => j.type === 'tokobot' || Boolean(j.url) !== Boolean(j.urlEnv), { message: problem('urlOrUrlEnv') })
  .refine((j) => j.type !== 'tokobot' || (!j.url && !j.urlEnv), { message: problem('selfNoUrl'), path: ['url'] })
  // The archive holds the .env and the database passwords: never stored in the clear.
  .refine((j) => j.type !== 'tokobot' || j.encryption, { message: problem('selfNeedsEncryption'), path: ['encryption'] })
  .refine((j) => !j.ipos || j.type === 'postgres', { message: problem('iposIsPostgres'), path: ['ipos'] })
  .refine((j) => !j.container || j.type === 'postgres', { message: problem('containerIsPostgres'), path: ['container'] });

export type JobFileConfig = z.infer<typeof jobSchema>;
