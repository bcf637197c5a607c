import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { GrammyError, HttpError } from 'grammy';
import { loadConfig, type Config, type JobConfig, type StoreConfig } from '../config/load-config.ts';
import { describeError, errorDetail, isAppError } from '../errors.ts';
import { t, type Lang } from '../i18n/text.ts';
import type { BackupSource } from '../pipeline/ports.ts';
import { freeSpace } from '../pipeline/sync/work-files.ts';
import { doctorClients } from '../main/doctor-clients.ts';
import { unreachableHint, unreachableReason } from '../adapters/telegram/telegram-client.ts';
import { cliIo, cliLang, print } from './print.ts';

export interface Finding {
  what: string;
  /** fail: tokobot cannot work until it is fixed; warn: a part is off or not set up yet. */
  level: 'ok' | 'warn' | 'fail';
  text: string;
}

/** The outside systems the doctor asks, built by src/main/doctor-clients.ts (fakes in tests). */
export interface DoctorClients {
  /** The restore server's account of itself (RestoreTarget.diagnose). */
  restoreServer(): Promise<string>;
  source(store: StoreConfig): Pick<BackupSource, 'list' | 'description'>;
  /** The bot's username; Telegram's GrammyError when it refuses the token. */
  telegramBot(token: string, apiRoot: string | undefined): Promise<string | undefined>;
  /** What a backup job's database answers. */
  jobDatabase(job: JobConfig): Promise<string>;
}

const HOUR = 3_600_000;
const MB = 1024 * 1024;

function within<T>(ms: number, work: Promise<T>, lang: Lang): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(t(lang, 'noAnswerWithin', { seconds: ms / 1000 }))), ms); });
  return Promise.race([work, late]).finally(() => clearTimeout(timer)) as Promise<T>;
}

/** A failed check's text: an AppError's detail in the reader's language, anything else as it is. */
const said = (err: unknown, lang: Lang) => (isAppError(err) ? errorDetail(err, lang) : describeError(err));

async function check(what: string, work: () => Promise<string | Omit<Finding, 'what'>>, lang: Lang): Promise<Finding> {
  try {
    const r = await within(20_000, work(), lang);
    return typeof r === 'string' ? { what, level: 'ok', text: r } : { what, ...r };
  } catch (err) {
    return { what, level: 'fail', text: said(err, lang) };
  }
}

async function nearestDir(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((await stat(d).catch(() => null))?.isDirectory() || d === path.dirname(d)) return d;
  }
}

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
  for (const job of config.jobs) findings.push(await check(t(lang, 'checkJob', { job: job.id }), () => clients.jobDatabase(job), lang));
  findings.push(await check(t(lang, 'checkDisk'), async () => {
    const free = await freeSpace(await nearestDir(config.dataDir));
    const text = t(lang, 'diskFree', { mb: Math.floor(free / MB), dir: config.dataDir });
    if (free < config.alerts.diskMinFreeBytes) throw new Error(t(lang, 'diskLow', { text, min: config.alerts.diskMinFreeBytes / MB }));
    return text;
  }, lang));
  return findings;
}

async function telegram(config: Config, clients: DoctorClients, lang: Lang): Promise<string | Omit<Finding, 'what'>> {
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

function renderFindings(findings: Finding[]): string {
  const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
  return findings.map((f) => `${mark[f.level]} ${f.what}: ${f.text.replace(/\n/g, '\n    ')}`).join('\n');
}

/** `tokobot doctor [--json]`: exit code 1 when something must be fixed. */
export async function doctorCommand(json: boolean): Promise<number> {
  const findings = await doctor(cliLang());
  print(json ? JSON.stringify(findings, null, 2) : renderFindings(findings));
  return findings.some((f) => f.level === 'fail') ? 1 : 0;
}
