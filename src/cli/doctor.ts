import { errorDetail, isAppError, type Detail } from '../errors.ts';
import type { SmtpSettings } from '../adapters/email/email-messenger.ts';
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { GrammyError, HttpError } from 'grammy';
import { loadConfig, type Config, type JobConfig, type StoreConfig } from '../config/load-config.ts';
import { t, type Lang } from '../i18n/text.ts';
import type { BackupSource } from '../pipeline/ports.ts';
import type { BackupDestination } from '../pipeline/backup/ports.ts';
import { destinationLabel } from '../config/jobs-from.ts';
import { isShopAgent } from '../config/agent-file-io.ts';
import { doctorClients } from '../main/doctor-clients.ts';
import { unreachableHint, unreachableReason } from '../adapters/telegram/telegram-client.ts';
import { check, diskCheck, renderFindings, said, type CheckResult, type Finding } from './doctor-checks.ts';
import { cliIo, cliLang, print } from './print.ts';

/** The outside systems the doctor asks, built by src/main/doctor-clients.ts (fakes in tests). */
export interface DoctorClients {
  /** The restore server's account of itself (RestoreTarget.diagnose). */
  restoreServer(): Promise<string>;
  source(store: StoreConfig): Pick<BackupSource, 'list' | 'description'>;
  /** The bot's username; Telegram's GrammyError when it refuses the token. */
  telegramBot(token: string, apiRoot: string | undefined): Promise<string | undefined>;
  /** Connects to the SMTP server and logs in, sending nothing; rejects with an AppError of system email. */
  smtp(settings: SmtpSettings): Promise<void>;
  /** What a backup job's database answers. */
  jobDatabase(job: JobConfig): Promise<Detail>;
  /** The job's destination at `index`, as the backup builds it (an SFTP server with no pinned key refuses, printing its fingerprint). */
  jobDestination(job: JobConfig, index: number): Pick<BackupDestination, 'list'>;
}

const HOUR = 3_600_000;

async function configured(config: Config, clients: DoctorClients, lang: Lang): Promise<Finding[]> {
  const findings: Finding[] = [];
  findings.push(await check(t(lang, 'checkRestoreServer'), () => clients.restoreServer(), lang));
  for (const store of config.stores) {
    findings.push(await check(t(lang, 'checkBackups', { store: store.id }), async () => {
      const source = clients.source(store);
      const files = (await source.list()).sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
      const newest = files[0];
      if (!newest) return { level: 'warn', text: t(lang, 'noBackupsYet', { source: source.description }) };
      const hours = (Date.now() - newest.modifiedAt.getTime()) / HOUR;
      const limit = store.staleHours ?? config.alerts.staleBackupMs / HOUR;
      const text = t(lang, 'backupsSeen', { source: source.description, count: files.length, file: newest.name, hours: hours.toFixed(1) });
      return hours > limit ? { level: 'warn', text: t(lang, 'backupsStale', { text, limit }) } : text;
    }, lang));
  }
  findings.push(await check('Telegram', () => telegram(config, clients, lang), lang));
  const smtp = config.email;
  if (smtp) {
    findings.push(await check('E-mail (SMTP)', async () => {
      await clients.smtp(smtp).catch((err: unknown) => { throw isAppError(err) ? new Error(errorDetail(err, lang)) : err; });
      return t(lang, 'smtpAnswers', { server: `${smtp.host}:${smtp.port}`, from: smtp.from, count: config.alerts.recipients.filter((r) => r.email).length });
    }, lang));
  }
  const chromium = config.whatsapp.chromiumPath;
  if (config.whatsapp.enabled) {
    findings.push(await check('WhatsApp', async () => {
      await access(chromium, constants.X_OK).catch(() => {
        throw new Error(t(lang, 'noChromium', { path: chromium }));
      });
      const session = path.join(config.dataDir, 'whatsapp', 'session-tokobot');
      if (!(await stat(session).catch(() => null))) return { level: 'warn', text: t(lang, 'whatsappNotLinked') };
      return t(lang, 'whatsappLinked', { path: chromium, session });
    }, lang));
  }
  for (const job of config.jobs) {
    findings.push(await check(t(lang, 'checkJob', { job: job.id }), async () => (await clients.jobDatabase(job))[lang], lang));
    // FTP and SFTP servers are asked here: the first use of an SFTP server prints the host key to pin.
    for (const [i, d] of job.destinations.entries()) {
      if (d.type !== 'ftp' && d.type !== 'sftp') continue;
      findings.push(await check(t(lang, 'checkJobServer', { job: job.id, destination: destinationLabel(d) }),
        async () => t(lang, 'serverAnswers', { count: (await clients.jobDestination(job, i).list()).length }), lang));
    }
  }
  findings.push(await check(t(lang, 'checkDisk'), () => diskCheck(config.dataDir, config.alerts.diskMinFreeBytes, lang), lang));
  return findings;
}

async function telegram(config: Config, clients: DoctorClients, lang: Lang): Promise<CheckResult> {
  const { token, apiRoot } = config.telegram;
  if (!token) return { level: 'warn', text: t(lang, 'telegramNoToken') };
  try {
    const username = await clients.telegramBot(token, apiRoot);
    return t(lang, 'telegramAnswers', { username: username ?? '?', people: config.telegram.roles.size });
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 401) throw new Error(t(lang, 'telegramRefusesToken'));
    if (err instanceof HttpError) throw new Error(t(lang, 'telegramUnreachable', { reason: unreachableReason(err), hint: unreachableHint(apiRoot, config.proxy, lang) }));
    throw err;
  }
}

/** Every check `tokobot doctor` runs, each with its finding in `lang`; nothing is created or changed. */
export async function doctor(lang: Lang, load: () => Config = () => loadConfig(cliIo().env), clientsFor: (config: Config) => DoctorClients = doctorClients): Promise<Finding[]> {
  const what = t(lang, 'checkConfig');
  let config: Config;
  try {
    config = load();
  } catch (err) {
    return [{ what, level: 'fail', text: `${said(err, lang)}\n${t(lang, 'configSeeReadme')}` }];
  }
  const summary = t(lang, 'configSummary', { stores: config.stores.length, jobs: config.jobs.length, recipients: config.alerts.recipients.length, target: config.restore.target });
  return [{ what, level: 'ok', text: summary }, ...(await configured(config, clientsFor(config), lang))];
}

/** `tokobot doctor [--agent] [--json]`: exit code 1 when something must be fixed. */
export async function doctorCommand(json: boolean, agent = false): Promise<number> {
  // A shop PC set up by `tokobot agent enroll` gets the agent's checks without --agent (isShopAgent says when).
  const findings = agent || isShopAgent(cliIo().env) ? await (await import('./agent-doctor.ts')).agentDoctor(cliLang()) : await doctor(cliLang());
  print(json ? JSON.stringify(findings, null, 2) : renderFindings(findings));
  return findings.some((f) => f.level === 'fail') ? 1 : 0;
}
