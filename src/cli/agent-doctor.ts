import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HeadOfficeError } from '../adapters/head-office/head-office-client.ts';
import { agentConfigPath, loadAgentConfig, type AgentConfig } from '../config/agent-config.ts';
import { agentFileSchema } from '../config/agent-file-schema.ts';
import { destinationLabel, type JobConfig, type JobDestination } from '../config/jobs-from.ts';
import { readSettingsFile, someSettings } from '../config/load-config.ts';
import { proxySection, type ProxySection } from '../config/sections.ts';
import { isAppError } from '../errors.ts';
import type { Detail } from '../errors.ts';
import { t, type Lang } from '../i18n/text.ts';
import type { HeadOffice } from '../pipeline/agents/ports.ts';
import { agentStatePath, type SenderState } from '../pipeline/agents/report-sender.ts';
import { formatTime } from '../i18n/format-time.ts';
import { isTokenRefusal } from './agent-enroll.ts';
import { agentClients } from '../main/agent-doctor-clients.ts';
import { check, diskCheck, said, type CheckResult, type Finding } from './doctor-checks.ts';
import { cliIo } from './print.ts';

/** The outside systems the agent's doctor asks, built by src/main/agent-doctor-clients.ts. */
export interface AgentDoctorClients {
  headOffice(o: { url: string; token: string; proxy: ProxySection }): Pick<HeadOffice, 'hello'>;
  /** What a backup job's database answers (the head office's doctor asks the same). */
  jobDatabase(job: JobConfig): Promise<Detail>;
  /** The job's PostgreSQL server's version as it says it ("15.4 (Debian …)", "9.6.24"). */
  serverVersion(job: JobConfig): Promise<string>;
  /** pg_dump's version and the file it is (searched on the PATH when `program` names no folder); null when there is none. */
  pgDump(program: string): Promise<{ version: string; path: string } | null>;
  /** How many files the Dropbox folder holds (the account answers). */
  dropboxFiles(folder: string): Promise<number>;
}

/** What the agent's report sender keeps (SenderState), as read here: any field may be missing or of another type. */
type OutboxState = { [K in keyof SenderState]?: unknown };

/** A version's major release as pg_dump counts them: 9.6 before 10, the first number from 10 on. */
function major(version: string): { key: number; text: string } | null {
  const m = /(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return null;
  const first = Number(m[1]);
  const second = Number(m[2] ?? 0);
  return first >= 10 ? { key: first * 100, text: String(first) } : { key: first * 100 + second, text: `${first}.${second}` };
}

async function headOfficeCheck(headOffice: AgentConfig['headOffice'], proxy: ProxySection, clients: AgentDoctorClients, lang: Lang): Promise<CheckResult> {
  const host = new URL(headOffice.url).host;
  try {
    const answer = await clients.headOffice({ url: headOffice.url, token: headOffice.token, proxy }).hello();
    if (answer.store.id !== headOffice.store) return { level: 'fail', text: t(lang, 'headOfficeOtherStore', { given: answer.store.id, store: headOffice.store }) };
    return t(lang, 'headOfficeAnswers', { version: answer.headOffice.version, host, store: answer.store.id, name: answer.store.name });
  } catch (err) {
    if (!isAppError(err)) throw err;
    if (err instanceof HeadOfficeError && isTokenRefusal(err.refusal)) {
      return { level: 'fail', text: t(lang, 'headOfficeTokenRefused', { said: said(err, lang), store: headOffice.store }) };
    }
    return { level: 'fail', text: err.kind === 'unreachable' ? t(lang, 'headOfficeUnreachable', { said: said(err, lang) }) : said(err, lang) };
  }
}

async function pgDumpCheck(job: JobConfig, pgDump: string, clients: AgentDoctorClients, lang: Lang): Promise<CheckResult> {
  if (job.container) return t(lang, 'pgDumpInContainer', { container: job.container });
  // pgDumpPath() names a folder exactly when PG_BIN_DIR is set.
  const from = t(lang, pgDump === path.basename(pgDump) ? 'pgDumpFromPath' : 'pgDumpFromBinDir');
  const found = await clients.pgDump(pgDump);
  if (!found) throw new Error(t(lang, 'pgDumpMissing', { path: pgDump, from }));
  // A database that does not answer is the job's own finding; here it only leaves the comparison out.
  const server = await clients.serverVersion(job).catch(() => null);
  if (server === null) return { level: 'warn', text: t(lang, 'pgDumpNoServer', { version: found.version, path: found.path, from }) };
  const text = t(lang, 'pgDumpFound', { version: found.version, path: found.path, from, server: server.split(' ')[0]! });
  const [dumpMajor, serverMajor] = [major(found.version), major(server)];
  if (dumpMajor && serverMajor && dumpMajor.key < serverMajor.key) throw new Error(t(lang, 'pgDumpTooOld', { text, major: serverMajor.text }));
  return text;
}

/** `dir` or the nearest path above it that exists, whatever it is (a file there means no folder can be made). */
async function nearestExisting(dir: string): Promise<{ at: string; folder: boolean }> {
  for (let d = dir; ; d = path.dirname(d)) {
    const s = await stat(d).catch(() => null);
    if (s || d === path.dirname(d)) return { at: d, folder: s?.isDirectory() ?? false };
  }
}

/** Whether tokobot may write in the folder (or the nearest one above it, where it will be made): a file made and removed at once. */
async function folderCheck(dir: string, lang: Lang): Promise<CheckResult> {
  const { at, folder } = await nearestExisting(dir);
  const probe = path.join(at, `.tokobot-doctor-${randomBytes(6).toString('hex')}`);
  try {
    if (!folder) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await (await open(probe, 'wx', 0o600)).close();
    await unlink(probe);
  } catch (err) {
    return { level: 'fail', text: t(lang, 'folderNotWritable', { dir, code: (err as NodeJS.ErrnoException).code ?? (err as Error).message }) };
  }
  return at === dir ? t(lang, 'folderWritable') : t(lang, 'folderWillBeMade', { parent: at });
}

async function destinationCheck(d: JobDestination, clients: AgentDoctorClients, lang: Lang): Promise<CheckResult> {
  if (d.type === 'local') return folderCheck(d.dir, lang);
  if (d.type !== 'dropbox') return t(lang, 'remoteNotChecked');
  return t(lang, 'dropboxAnswers', { count: await clients.dropboxFiles(d.folder) });
}

/** The sender's state, read tolerantly: any field may be missing or of another type (another version of the agent wrote it). */
async function outboxCheck(dataDir: string, zone: string, lang: Lang): Promise<CheckResult> {
  const file = agentStatePath(dataDir);
  let state: OutboxState;
  try {
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a JSON object');
    state = raw as OutboxState;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { level: 'warn', text: t(lang, 'outboxNotRun', { file }) };
    return { level: 'warn', text: t(lang, 'outboxUnreadable', { file, why: code ?? (err as Error).message }) };
  }
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0);
  const pending = count(state.pending);
  const rejected = count(state.rejected);
  const sent = typeof state.lastSuccessAt === 'string' && !Number.isNaN(Date.parse(state.lastSuccessAt)) ? new Date(state.lastSuccessAt) : null;
  const lines = [t(lang, 'outboxState', { pending, rejected, sent: sent ? formatTime(sent, zone, lang) : t(lang, 'outboxNeverSent') })];
  const error = state.lastError && typeof state.lastError === 'object' ? state.lastError as { kind?: unknown; message?: unknown; messageId?: unknown } : undefined;
  const told = lang === 'id' && typeof error?.messageId === 'string' ? error.messageId : error?.message;
  if (error) lines.push(t(lang, 'outboxLastError', { kind: String(error.kind ?? '?'), message: String(told ?? '').slice(0, 500) }));
  if (rejected) lines.push(t(lang, 'outboxRejected', { rejected }));
  return { level: rejected || (pending && error) ? 'warn' : 'ok', text: lines.join('\n') };
}

/** Every local folder the agent writes to, each once: DATA_DIR first. */
const foldersOf = (config: AgentConfig) => [...new Set([config.dataDir, ...config.jobs.flatMap((j) => j.destinations.flatMap((d) => (d.type === 'local' ? [d.dir] : [])))])];

async function agentChecks(config: AgentConfig, clients: AgentDoctorClients, lang: Lang): Promise<Finding[]> {
  const findings: Finding[] = [];
  findings.push(await check(t(lang, 'checkHeadOffice'), () => headOfficeCheck(config.headOffice, config.proxy, clients, lang), lang));
  for (const job of config.jobs) {
    findings.push(await check(t(lang, 'checkJob', { job: job.id }), async () => (await clients.jobDatabase(job))[lang], lang));
    if (job.type === 'postgres') findings.push(await check(t(lang, 'checkPgDump', { job: job.id }), () => pgDumpCheck(job, config.pgDump, clients, lang), lang));
    for (const d of job.destinations) {
      const destination = destinationLabel(d);
      findings.push(await check(t(lang, 'checkDestination', { job: job.id, destination }), () => destinationCheck(d, clients, lang), lang));
    }
  }
  findings.push(await check(t(lang, 'checkOutbox'), () => outboxCheck(config.dataDir, config.locale.zone, lang), lang));
  for (const dir of foldersOf(config)) findings.push(await check(t(lang, 'checkDisk'), () => diskCheck(dir, config.diskMinFreeBytes, lang), lang));
  return findings;
}

/**
 * `tokobot doctor` on a shop PC: the agent file, then everything the agent needs. When the file
 * is there but the rest of the settings are not right yet (IPOS_DATABASE_URL unset…), the head
 * office is still asked: a newcomer learns at once whether the token is good.
 */
export async function agentDoctor(lang: Lang, env: NodeJS.ProcessEnv = cliIo().env, clientsFor: (c: Pick<AgentConfig, 'dropbox' | 'proxy'>) => AgentDoctorClients = (c) => agentClients(c, env)): Promise<Finding[]> {
  const what = t(lang, 'checkAgentFile');
  let config: AgentConfig;
  try {
    config = loadAgentConfig(env);
  } catch (err) {
    const failed: Finding = { what, level: 'fail', text: said(err, lang) };
    const file = (() => {
      try {
        return readSettingsFile(agentConfigPath(env).file, agentFileSchema, lang, 'AGENT_CONFIG');
      } catch {
        return null;
      }
    })();
    if (!file) return [failed];
    const proxy = proxySection(someSettings(env, ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']));
    const clients = clientsFor({ dropbox: {}, proxy });
    return [failed, await check(t(lang, 'checkHeadOffice'), () => headOfficeCheck(file.headOffice, proxy, clients, lang), lang)];
  }
  const host = new URL(config.headOffice.url).host;
  const findings: Finding[] = [{ what, level: 'ok', text: t(lang, 'agentFileSummary', { file: config.file, store: config.headOffice.store, host, jobs: config.jobs.length }) }];
  if (config.fileWarning) findings.push({ what, level: 'warn', text: config.fileWarning[lang] });
  return [...findings, ...(await agentChecks(config, clientsFor(config), lang))];
}
