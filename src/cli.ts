import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { AppError, describeError, isAppError } from './errors.ts';
import { dropboxAuthSettings, loadConfig } from './config/load-config.ts';
import { createLogger } from './log.ts';
import { createApp, type App } from './app.ts';
import { inspectFile } from './pipeline/archive/inspect-file.ts';
import { renderArchiveInfo } from './pipeline/archive/render-archive.ts';
import { syncStore } from './pipeline/sync/sync-store.ts';
import { storeStatus } from './pipeline/status.ts';
import { PriceSearch } from './pipeline/search/price-search.ts';
import { searchReply } from './bot/price-replies.ts';
import { Tokens } from './bot/tokens.ts';
import { startService } from './service.ts';
import { renderText } from './bot/render-text.ts';
import { outcomeLine, progressLine, statusText } from './cli/format-sync.ts';
import { syncAlert } from './pipeline/alerts/run-alerts.ts';
import { backupDecrypt, backupList, backupPrune, backupRestore, backupRun } from './cli/backup-commands.ts';
import { readLine } from './cli/read-line.ts';
import { doctor, renderFindings } from './cli/doctor.ts';
import { demo } from './cli/demo.ts';
import { startDropboxAuthorization } from './adapters/dropbox/dropbox-authorize.ts';

const USAGE = `Usage:
  tokobot start                          run the Telegram bot and the sync schedule
  tokobot sync [--store ID] [--json]     sync the newest backup of one store (default: every store)
  tokobot inspect FILE [--json]          check an .i5bu archive and show its contents
  tokobot status [--json]                freshness and last runs per store
  tokobot ask "TEXT" [--store ID]        answer a price question from the published list
  tokobot backup run JOB [--json]        run a backup job now (dump, verify, store, prune)
  tokobot backup list [--json]           jobs, their schedules and last results, recent runs
  tokobot backup prune [JOB] [--dry-run] apply retention; with --dry-run only show what would go and why
  tokobot backup decrypt FILE [--out P]  decrypt an .enc backup (passphrase from its job, or stdin)
  tokobot backup restore FILE --into DB  load a MySQL job's backup into a new database on its server
  tokobot demo [--ask TEXT]              the sample store in the embedded PostgreSQL, then a terminal chat (or one answer)
  tokobot doctor [--json]                check the config, Dropbox, the database servers, Telegram, WhatsApp, disk
  tokobot dropbox-auth [--app-key KEY]   get the Dropbox refresh token for .env (approve in a browser, paste the code)`;

const print = (text: string) => process.stdout.write(`${text}\n`);

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  const app = await createApp(config, logger);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

async function sync(store: string | undefined, json: boolean): Promise<number> {
  return withApp(async (app) => {
    const stores = store ? [app.store(store)] : app.config.stores;
    const outcomes = [];
    for (const s of stores) {
      const o = await syncStore(app.sync, s, 'cli', (p) => { if (!json) process.stderr.write(`${progressLine(s.id, p)}\n`); });
      outcomes.push(o);
      await syncAlert(app.alerts, s, o);
      if (!json) print(outcomeLine(o));
    }
    await app.alerts.flush(); // the running tokobot start delivers them
    if (json) print(JSON.stringify(outcomes.length === 1 ? outcomes[0] : outcomes, null, 2));
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  });
}

async function status(json: boolean): Promise<number> {
  return withApp(async (app) => {
    const all = [];
    for (const s of app.config.stores) all.push(await storeStatus(app.ops, app.history, s));
    print(json ? JSON.stringify(all, null, 2) : all.map(statusText).join('\n\n'));
    return 0;
  });
}

async function ask(text: string, store: string | undefined): Promise<number> {
  return withApp(async (app) => {
    const s = app.store(store);
    const who = { id: 0, name: 'cli', access: 'staff' as const, chat: { id: 0, kind: 'private' as const }, lang: 'id' as const, store: s };
    print(renderText(await searchReply({ search: new PriceSearch(app.ops) }, new Tokens(), who, s, text, 0)));
    return 0;
  });
}

/** Runs until SIGTERM or SIGINT, then stops taking updates and lets running work finish or stop cleanly. */
async function start(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  const app = await createApp(config, logger);
  const service = await startService(app).catch(async (err) => { await app.close(); throw err; });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => { logger.info({ signal }, 'stopping'); resolve(); };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.stop();
  await app.close();
  return 0;
}

async function backup(args: string[], values: { json?: boolean; 'dry-run'?: boolean; out?: string; into?: string }): Promise<number> {
  const [sub, arg] = args;
  const json = values.json ?? false;
  switch (sub) {
    case 'run':
      if (!arg) throw new AppError('usage', 'tokobot backup run needs a job: tokobot backup run JOB (tokobot backup list shows them)');
      return withApp((app) => backupRun(app, arg, json));
    case 'list': return withApp((app) => backupList(app, json));
    case 'prune': return withApp((app) => backupPrune(app, arg, values['dry-run'] ?? false, json));
    case 'restore':
      if (!arg) throw new AppError('usage', 'tokobot backup restore needs a file: tokobot backup restore FILE --into NEW_DATABASE');
      return withApp((app) => backupRestore(app, arg, values.into));
    case 'decrypt': {
      if (!arg) throw new AppError('usage', 'tokobot backup decrypt needs a file: tokobot backup decrypt FILE.enc');
      let jobs: ReturnType<typeof loadConfig>['jobs'] = [];
      try {
        jobs = loadConfig().jobs;
      } catch {
        // Decrypting must work on a machine without tokobot's config: the passphrase then comes from stdin.
      }
      return backupDecrypt(jobs, arg, values.out);
    }
    default:
      throw new AppError('usage', `tokobot backup: expected run, list, prune, decrypt or restore\n${USAGE}`);
  }
}

/** Works before anything else is configured: it is how the Dropbox part of .env is filled in. */
async function dropboxAuth(appKeyOption: string | undefined): Promise<number> {
  const settings = dropboxAuthSettings();
  const appKey = appKeyOption ?? settings.appKey;
  if (!appKey) {
    throw new AppError('usage', 'tokobot dropbox-auth needs the app key: tokobot dropbox-auth --app-key KEY (or DROPBOX_APP_KEY in .env). ' +
      'Create the app at https://www.dropbox.com/developers/apps (Scoped access; permissions files.content.read, and files.content.write for backup uploads).');
  }
  const flow = await startDropboxAuthorization({ appKey, apiUrl: settings.apiUrl });
  process.stderr.write(`1. Open this address in a browser, sign in to the shop's Dropbox and press Allow:\n\n${flow.url}\n\n2. Paste the code Dropbox shows here and press Enter: `);
  const code = await readLine();
  if (!code.trim()) throw new AppError('usage', 'No code was pasted; run tokobot dropbox-auth again.');
  const { refreshToken, accountId } = await flow.finish(code);
  print(`DROPBOX_APP_KEY=${appKey}\nDROPBOX_REFRESH_TOKEN=${refreshToken}`);
  process.stderr.write(`\nDropbox account ${accountId ?? '?'} linked. Put the two lines above in .env (the app secret is not needed with this token).\n`);
  return 0;
}

async function inspect(file: string, json: boolean): Promise<number> {
  // Needs no config: inspecting a file must work before anything is set up.
  const info = await inspectFile(file, 20480 * 1024 * 1024);
  print(json ? JSON.stringify(info, null, 2) : renderArchiveInfo(info));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        store: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
        'dry-run': { type: 'boolean', default: false }, out: { type: 'string' }, into: { type: 'string' }, 'app-key': { type: 'string' }, ask: { type: 'string' },
      },
    });
  } catch (err) {
    throw new AppError('usage', `${describeError(err)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const json = values.json ?? false;
  switch (command) {
    case 'start': return start();
    case 'sync': return sync(values.store, json);
    case 'status': return status(json);
    case 'inspect':
      if (!rest[0]) throw new AppError('usage', 'tokobot inspect needs a file: tokobot inspect BACKUP.i5bu');
      return inspect(rest[0], json);
    case 'backup': return backup(rest, values);
    case 'dropbox-auth': return dropboxAuth(values['app-key']);
    case 'demo': return demo(values.ask);
    case 'doctor': {
      const findings = await doctor();
      print(json ? JSON.stringify(findings, null, 2) : renderFindings(findings));
      return findings.some((f) => f.level === 'fail') ? 1 : 0;
    }
    case 'ask':
      if (!rest.length) throw new AppError('usage', 'tokobot ask needs a question: tokobot ask "indomie goreng"');
      return ask(rest.join(' '), values.store);
    default:
      print(USAGE);
      return command && !values.help ? 2 : 0;
  }
}

dotenv.config({ quiet: true });
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (isAppError(err)) {
      process.stderr.write(`tokobot: ${err.message}\n`);
      process.exitCode = err.code === 'config' || err.code === 'usage' ? 2 : 1;
    } else {
      process.stderr.write(`tokobot: unexpected error: ${describeError(err)}\n`);
      process.exitCode = 1;
    }
  },
);
