/**
 * The command line: parses the arguments and loads only the module of the command asked for, so
 * that `tokobot --help` or `tokobot ask` never load Docker, WhatsApp or Telegram code. The
 * commands, each with its help, are listed in src/cli/commands.ts.
 */
import { existsSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from './cli/commands.ts';
import { helpText } from './cli/help.ts';
import { parseCommand } from './cli/parse-command.ts';
import { cliIo, print, withCliIo, type CliIo } from './cli/print.ts';

/** .env in the current folder fills in the variables the environment does not set (TOKOBOT_LANG too, so it is read before any text). */
async function readEnvFile(): Promise<void> {
  const { env, envFile } = cliIo();
  if (envFile && existsSync(envFile)) (await import('dotenv')).default.config({ quiet: true, path: envFile, processEnv: env });
}

async function main(argv: string[]): Promise<number> {
  await readEnvFile();
  const request = parseCommand(argv);
  if (request.kind === 'run') return request.command.run(request);
  print(helpText(request.kind === 'help' ? request.topic : undefined));
  // `tokobot` alone is a usage error: the list of commands, exit code 2.
  return request.kind === 'help' ? 0 : 2;
}

/** The words before `--`: an option after it is a command's text, not an option. */
const optionPart = (argv: string[]) => (argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv);

/** The command's name ("backup run"), for the log of a failure: not its words (a question, a path). */
function commandName(argv: string[]): string {
  const words = optionPart(argv).filter((a) => !a.startsWith('-'));
  return COMMANDS.find((c) => c.name === words.slice(0, 2).join(' '))?.name ?? words[0] ?? '';
}

/**
 * `tokobot ARGS`: the exit code; a failure in one line on standard error (2 for settings and
 * usage, 1 for the rest: src/cli/failure.ts). The process's environment and streams unless `io`
 * gives others: tests run most commands in process this way (bin/tokobot.js runs them in a
 * process of their own).
 */
export async function runCli(argv: string[], io?: CliIo): Promise<number> {
  // --verbose counts even when the rest does not parse: it shows the detail of that failure too.
  return withCliIo(io, optionPart(argv).includes('--verbose'), async () => {
    try {
      return await main(argv);
    } catch (err) {
      // Loaded only now: it reads the log settings with the config's schema, which `tokobot --help` does without.
      const { reportFailure } = await import('./cli/failure.ts');
      return reportFailure(err, commandName(argv));
    }
  });
}

// Run as the program itself (node src/cli.ts, node dist/cli.js); imported, it does nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) process.exitCode = await runCli(process.argv.slice(2));
