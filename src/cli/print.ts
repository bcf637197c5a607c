import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { langFrom } from '../config/lang-from.ts';
import type { Lang } from '../i18n/lang.ts';

/** What a command reads and writes besides its files: its settings and the three standard streams. */
export interface CliIo {
  /** The variables the settings come from; .env adds the ones missing (cli.ts). */
  env: NodeJS.ProcessEnv;
  /** The .env file: the one in the current folder, for a process; without one, no .env is read. */
  envFile?: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The process's own, read when used: process.stdin, once touched, is a stream of its own. */
const processIo: CliIo = {
  get env() { return process.env; },
  get envFile() { return path.resolve('.env'); },
  get stdin() { return process.stdin; },
  get stdout() { return process.stdout; },
  get stderr() { return process.stderr; },
};
/** One `tokobot` run: its streams, and whether --verbose was given. */
interface CliRun {
  io: CliIo;
  verbose: boolean;
}
const given = new AsyncLocalStorage<CliRun>();

/** The running command's: the process's own, unless runCli was given others (a test running tokobot in process). */
export const cliIo = (): CliIo => given.getStore()?.io ?? processIo;

/** True when the run was given --verbose (LOG_LEVEL=debug counts too: see cli-log.ts). */
export const verboseFlag = (): boolean => given.getStore()?.verbose ?? false;

export const withCliIo = <T>(io: CliIo | undefined, verbose: boolean, fn: () => Promise<T>): Promise<T> => given.run({ io: io ?? processIo, verbose }, fn);

/** The language everything the command line prints is in: TOKOBOT_LANG, else the locale (.env included, once read). */
export const cliLang = (): Lang => langFrom(cliIo().env);

/** A line on standard output: what a command answers (progress and errors go to standard error). */
export const print = (text: string) => cliIo().stdout.write(`${text}\n`);

/** Progress and messages for the person at the terminal, on standard error; `text` ends its own lines. */
export const tell = (text: string) => cliIo().stderr.write(text);
