import { z } from 'zod';
import { jobSchema } from './job-schema.ts';

/**
 * The shop agent's config file (`tokobot agent enroll` writes it; AGENT_CONFIG, default
 * DATA_DIR/agent.json, mode 0600: it holds the store's token). The rest of the agent's settings
 * (DATA_DIR, DROPBOX_*, STORE_TZ, DISK_MIN_FREE_MB, proxies) come from the environment as for
 * every tokobot.
 */
export const agentFileSchema = z.object({
  headOffice: z.object({
    /** The head office's tokobot (its WEB_URL): https, or http on a loopback address. */
    url: z.string().url(),
    /** The store's agent token, as `tokobot store add` printed it. */
    token: z.string().min(20).max(200),
    store: z.string().regex(/^[a-z0-9_]{1,32}$/),
    /** This install's id (a UUID made at enrolment): a reinstall is a new instance. */
    instance: z.string().uuid(),
  }).strict(),
  /** The backup jobs the agent runs (the same shape as the config file's `jobs`). */
  jobs: z.array(jobSchema).min(1),
  /** Seconds between heartbeats. */
  heartbeatSeconds: z.number().int().min(10).max(3600).default(300),
}).strict();

export type AgentFile = z.input<typeof agentFileSchema>;
export type AgentFileConfig = z.infer<typeof agentFileSchema>;
