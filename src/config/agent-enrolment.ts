import type { HelloAnswer } from '../pipeline/agents/protocol.ts';
import type { z } from 'zod';
import type { AgentFile, AgentFileConfig } from './agent-file-schema.ts';
import type { jobSchema } from './job-schema.ts';

/** The iPOS job enrolment writes, by this id: re-enrolling rewrites this job and keeps every other. */
export const IPOS_JOB_ID = 'ipos';
/** Where the iPOS database URL is read from at run time unless --ipos-url writes one into the file. */
export const IPOS_URL_ENV = 'IPOS_DATABASE_URL';
/**
 * Every day at 21:00 in STORE_TZ: most shops have stopped selling by then and the cashier PC is
 * still on (one switched off at closing backs up nothing, so a shop that closes earlier gives
 * --schedule). One backup a day is what the head office's freshness alert (STALE_BACKUP_HOURS,
 * 26 h) expects, and a night's backup is in Dropbox before the next morning's sync.
 */
export const DEFAULT_SCHEDULE = '0 21 * * *';

export interface EnrolChoices {
  url: string;
  token: string;
  /** --ipos-url: written into the job (the file is 0600); else the job keeps its own, or reads IPOS_URL_ENV. */
  iposUrl?: string;
  schedule?: string;
  /** --dir, absolute. */
  dir?: string;
  /** A new install's id, used unless the file already belongs to this store. */
  newInstance: string;
}

type JobInput = z.input<typeof jobSchema>;
type Destination = JobInput['destinations'][number];

/** The agent file's bounds on heartbeatSeconds (agent-file-schema.ts). */
const HEARTBEAT_SECONDS = { min: 10, max: 3600 };

/**
 * The agent file after enrolling with the head office's `answer`: `existing` (null when there is
 * none) keeps its other jobs and settings, and its install id when it is the same store (the
 * head office then sees the same agent, its report sequence going on). The iPOS job keeps what
 * the options do not set (retention, encryption, a URL given before, a local folder); its Dropbox
 * folder is the head office's for the store. Null when the job would have no destination.
 */
export function enrolledAgentFile(existing: AgentFileConfig | null, answer: HelloAnswer, choices: EnrolChoices): { file: AgentFile; instanceKept: boolean } | null {
  const store = answer.store.id;
  const same = existing?.headOffice.store === store ? existing : null;
  const before = existing?.jobs.find((j) => j.id === IPOS_JOB_ID);
  const local: Destination[] = choices.dir ? [{ type: 'local', dir: choices.dir }] : (before?.destinations.filter((d) => d.type === 'local') ?? []);
  const dropbox: Destination[] = answer.store.dropboxFolder ? [{ type: 'dropbox', folder: answer.store.dropboxFolder }] : [];
  const destinations = [...dropbox, ...local];
  if (!destinations.length) return null;
  const { url: _url, urlEnv: _urlEnv, ...kept }: Partial<JobInput> = before ?? {};
  const database = choices.iposUrl ? { url: choices.iposUrl } : before?.url ? { url: before.url } : { urlEnv: before?.urlEnv ?? IPOS_URL_ENV };
  // The rest (retention, verify, timeout) keeps what it was, or takes the schema's defaults when the file is parsed.
  const job: JobInput = { ...kept, ...database, id: IPOS_JOB_ID, type: 'postgres', ipos: true, schedule: choices.schedule ?? before?.schedule ?? DEFAULT_SCHEDULE, destinations };
  const jobs: JobInput[] = before ? (existing?.jobs ?? []).map((j) => (j.id === IPOS_JOB_ID ? job : j)) : [job, ...(existing?.jobs ?? [])];
  const heartbeatSeconds = Math.min(Math.max(answer.heartbeatSeconds, HEARTBEAT_SECONDS.min), HEARTBEAT_SECONDS.max);
  return {
    instanceKept: same !== null,
    file: { ...existing, headOffice: { url: choices.url, token: choices.token, store, instance: same?.headOffice.instance ?? choices.newInstance }, jobs, heartbeatSeconds },
  };
}
