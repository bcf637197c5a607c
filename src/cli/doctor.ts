import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { GrammyError, HttpError } from 'grammy';
import { loadConfig, type Config, type JobConfig, type StoreConfig } from '../config/load-config.ts';
import { describeError } from '../errors.ts';
import type { BackupSource } from '../pipeline/ports.ts';
import { freeSpace } from '../pipeline/sync/work-files.ts';
import { doctorClients } from '../main/doctor-clients.ts';
import { unreachableHint, unreachableReason } from '../adapters/telegram/telegram-client.ts';
import { cliIo } from './print.ts';

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

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms); });
  return Promise.race([work, late]).finally(() => clearTimeout(timer)) as Promise<T>;
}

async function check(what: string, work: () => Promise<string | Omit<Finding, 'what'>>): Promise<Finding> {
  try {
    const r = await within(20_000, work());
    return typeof r === 'string' ? { what, level: 'ok', text: r } : { what, ...r };
  } catch (err) {
    return { what, level: 'fail', text: describeError(err) };
  }
}

async function nearestDir(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((await stat(d).catch(() => null))?.isDirectory() || d === path.dirname(d)) return d;
  }
}

async function configured(config: Config, clients: DoctorClients): Promise<Finding[]> {
  const findings: Finding[] = [];
  findings.push(await check('restore server', () => clients.restoreServer()));
  for (const store of config.stores) {
    findings.push(await check(`backups of ${store.id}`, async () => {
      const source = clients.source(store);
      const files = (await source.list()).sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
      const newest = files[0];
      if (!newest) return { level: 'warn', text: `${source.description} holds no .i5bu or .zip yet: check the folder path and that iPOS backs up there` };
      const hours = (Date.now() - newest.modifiedAt.getTime()) / HOUR;
      const text = `${source.description}: ${files.length} backups, newest ${newest.name}, ${hours.toFixed(1)} h old`;
      return hours > (store.staleHours ?? config.alerts.staleBackupMs / HOUR) ? { level: 'warn', text: `${text} — older than the ${store.staleHours ?? config.alerts.staleBackupMs / HOUR} h limit: is iPOS still backing up?` } : text;
    }));
  }
  findings.push(await check('Telegram', async () => {
    const { token, apiRoot } = config.telegram;
    if (!token) return { level: 'warn', text: 'TELEGRAM_BOT_TOKEN is not set: tokobot start needs it (get one from @BotFather)' };
    try {
      const username = await clients.telegramBot(token, apiRoot);
      return `the bot @${username} answers; ${config.telegram.roles.size} people have roles`;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 401) throw new Error('Telegram refuses TELEGRAM_BOT_TOKEN: copy it again from @BotFather (/mybots → API Token)');
      if (err instanceof HttpError) throw new Error(`the Bot API cannot be reached (${unreachableReason(err)}): ${unreachableHint(apiRoot, config.proxy)}`);
      throw err;
    }
  }));
  const chromium = config.whatsapp.chromiumPath;
  if (config.whatsapp.enabled) {
    findings.push(await check('WhatsApp', async () => {
      await access(chromium, constants.X_OK).catch(() => {
        throw new Error(`there is no Chromium at ${chromium}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH`);
      });
      const session = path.join(config.dataDir, 'whatsapp', 'session-tokobot');
      if (!(await stat(session).catch(() => null))) return { level: 'warn', text: 'not linked yet: tokobot start prints a QR code (and sends it to the owners in Telegram) to scan from the phone' };
      return `Chromium at ${chromium}; a linked session is kept in ${session}`;
    }));
  }
  for (const job of config.jobs) findings.push(await check(`backup job ${job.id}`, () => clients.jobDatabase(job)));
  findings.push(await check('disk', async () => {
    const free = await freeSpace(await nearestDir(config.dataDir));
    const text = `${Math.floor(free / MB)} MB free under ${config.dataDir}`;
    if (free < config.alerts.diskMinFreeBytes) throw new Error(`${text}, below DISK_MIN_FREE_MB (${config.alerts.diskMinFreeBytes / MB}): free some space or move DATA_DIR`);
    return text;
  }));
  return findings;
}

/** Every check `tokobot doctor` runs, each with its finding; nothing is created or changed. */
export async function doctor(load: () => Config = () => loadConfig(cliIo().env), clientsFor: (config: Config) => DoctorClients = doctorClients): Promise<Finding[]> {
  let config: Config;
  try {
    config = load();
  } catch (err) {
    return [{ what: 'config', level: 'fail', text: `${describeError(err)}\n(see .env.example and the README's configuration table)` }];
  }
  const summary = `${config.stores.length} store(s), ${config.jobs.length} backup job(s), ${config.alerts.recipients.length} alert recipient(s); restore target ${config.restore.target}`;
  return [{ what: 'config', level: 'ok', text: summary }, ...(await configured(config, clientsFor(config)))];
}

export function renderFindings(findings: Finding[]): string {
  const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
  return findings.map((f) => `${mark[f.level]} ${f.what}: ${f.text.replace(/\n/g, '\n    ')}`).join('\n');
}
