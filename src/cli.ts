/**
 * The command line: parses the arguments and loads only the module of the command asked for, so
 * that `tokobot --help` or `tokobot ask` never load Docker, WhatsApp or Telegram code.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError, describeError, isAppError } from './errors.ts';
import { cliIo, print, tell, withCliIo, type CliIo } from './cli/print.ts';
import { ownerMessage } from './owner-messages.ts';

const USAGE = `Usage:
  tokobot start                          run the Telegram bot and the sync schedule
  tokobot sync [--store ID] [--json]     sync the newest backup of one store (default: every store)
  tokobot inspect FILE [--json]          check an .i5bu archive and show its contents
  tokobot status [--json]                freshness and last runs per store
  tokobot ask "TEXT" [--store ID] [--json] answer a price question from the published list (exit 3: no list yet)
  tokobot chat [--store ID]              the bot's chat in this terminal, as the owner (pages, item cards, /status, /sync…)
  tokobot backup run JOB [--json]        run a backup job now (dump, verify, store, prune)
  tokobot backup list [--json]           jobs, their schedules and last results, recent runs
  tokobot backup prune [JOB] [--dry-run] apply retention; with --dry-run only show what would go and why
  tokobot backup decrypt FILE [--out P]  decrypt an .enc backup (passphrase from its job, or stdin)
  tokobot backup restore FILE --into DB  load a job's backup into a new database (checked whole first)
  tokobot demo [--ask TEXT]              the sample store in the embedded PostgreSQL, then a terminal chat (or one answer)
  tokobot doctor [--json]                check the config, Dropbox, the database servers, Telegram, WhatsApp, disk
  tokobot dropbox-auth [--app-key KEY]   get the Dropbox refresh token for .env (approve in a browser, paste the code)`;


async function main(argv: string[]): Promise<number> {
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
    throw new AppError('usage', 'tokobot', `${describeError(err)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const json = values.json ?? false;
  // .env is read for commands only: the usage text needs nothing, and starts faster without it.
  const { env, envFile } = cliIo();
  if (command && envFile) (await import('dotenv')).default.config({ quiet: true, path: envFile, processEnv: env });
  switch (command) {
    case 'start': return (await import('./cli/start.ts')).start();
    case 'sync': return (await import('./cli/store-commands.ts')).sync(values.store, json);
    case 'status': return (await import('./cli/store-commands.ts')).status(json);
    case 'inspect':
      if (!rest[0]) throw new AppError('usage', 'tokobot', 'tokobot inspect needs a file: tokobot inspect BACKUP.i5bu');
      return (await import('./cli/inspect.ts')).inspect(rest[0], json);
    case 'backup': return (await import('./cli/backup-cli.ts')).backup(rest, values);
    case 'dropbox-auth': return (await import('./cli/dropbox-auth.ts')).dropboxAuth(values['app-key']);
    case 'demo': return (await import('./cli/demo.ts')).demo(values.ask);
    case 'doctor': {
      const { doctor, renderFindings } = await import('./cli/doctor.ts');
      const findings = await doctor();
      print(json ? JSON.stringify(findings, null, 2) : renderFindings(findings));
      return findings.some((f) => f.level === 'fail') ? 1 : 0;
    }
    case 'ask':
      if (!rest.length) throw new AppError('usage', 'tokobot', 'tokobot ask needs a question: tokobot ask "indomie goreng"');
      return (await import('./cli/ask.ts')).ask(rest.join(' '), values.store, json);
    case 'chat': return (await import('./cli/chat.ts')).chat(values.store);
    default:
      print(USAGE);
      return command && !values.help ? 2 : 0;
  }
}

/**
 * `tokobot ARGS`: the exit code, an error shown on standard error (2 for settings and usage, 1 for
 * the rest). The process's environment and streams unless `io` gives others: tests run most
 * commands in process this way (bin/tokobot.js runs them in a process of their own).
 */
export async function runCli(argv: string[], io?: CliIo): Promise<number> {
  return withCliIo(io, async () => {
    try {
      return await main(argv);
    } catch (err) {
      if (!isAppError(err)) {
        tell(`tokobot: unexpected error: ${describeError(err)}\n`);
        return 1;
      }
      // The headline says what is wrong and what to do; the detail below it, exactly what happened.
      tell(`tokobot: ${ownerMessage(err, 'en')}\n${err.message}\n`);
      return err.kind === 'config' || err.kind === 'usage' ? 2 : 1;
    }
  });
}

// Run as the program itself (node src/cli.ts, node dist/cli.js); imported, it does nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) process.exitCode = await runCli(process.argv.slice(2));
