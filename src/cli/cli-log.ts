import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { cliLogSettings } from '../config/load-config.ts';
import { t } from '../i18n/text.ts';
import { createLogger, type Logger } from '../log.ts';
import { cliIo, cliLang, verboseFlag } from './print.ts';

/**
 * The log of a one-off command (every command but `tokobot start`, which logs to standard error
 * as a service does).
 *
 * - The file DATA_DIR/logs/cli.log, when DATA_DIR exists (a tokobot that has run once), gets every
 *   record at LOG_LEVEL in full, as JSON lines: errors with their cause chain and stack, and the
 *   reference of an unexpected error. A command that only reads (inspect, help) on a machine
 *   without DATA_DIR makes no folder: its log is the terminal only.
 * - The terminal (standard error) gets one line per info or warning record. A record at error
 *   level, or one carrying an error, is about the failure the command reports itself (its result
 *   line, or the one line runCli prints), so the terminal does not show it a second time.
 * - --verbose or LOG_LEVEL=debug: the terminal shows every record, with its fields and its error's
 *   causes and stack.
 */

/** A few lines a command: past this size the log starts again, the previous one kept as cli.log.1. */
const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;
const ERROR_LEVEL = 50;
const WARN_LEVEL = 40;
const DEBUG_LEVELS = new Set(['debug', 'trace']);

interface LogRecord {
  level: number;
  msg?: string;
  err?: { stack?: string; message?: string };
  [field: string]: unknown;
}

/** LOG_LEVEL and DATA_DIR; their defaults when they are wrong (the config's own check says so, where it runs). */
function settings(): { dataDir: string; level: string } {
  try {
    return cliLogSettings(cliIo().env);
  } catch {
    return { dataDir: path.resolve('data'), level: 'info' };
  }
}

/** --verbose, or LOG_LEVEL=debug or trace. */
export const isVerbose = (): boolean => verboseFlag() || DEBUG_LEVELS.has(settings().level);

/** DATA_DIR/logs/cli.log, its folder made, when DATA_DIR exists and the folder can be made; else undefined. */
function cliLogFile(dataDir: string): string | undefined {
  const dir = path.join(dataDir, 'logs');
  try {
    if (!statSync(path.dirname(dir)).isDirectory()) return undefined;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  const file = path.join(dir, 'cli.log');
  try {
    if (statSync(file).size > LOG_FILE_MAX_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  return file;
}

/** A record as the terminal shows it: one line, or (verbose) the line, its fields and its error's stack. Empty when it is not shown. */
function terminalText(record: LogRecord, verbose: boolean): string {
  const { level, time: _time, pid: _pid, hostname: _host, msg = '', err, ...fields } = record;
  if (verbose) {
    const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    const detail = err ? `\n    ${(err.stack ?? err.message ?? '').replace(/\n/g, '\n    ')}` : '';
    return `tokobot: ${msg}${extra}${detail}\n`;
  }
  if (level >= ERROR_LEVEL || err) return '';
  const about = fields.store ?? fields.job;
  const warning = level >= WARN_LEVEL ? `${t(cliLang(), 'cliWarning')}: ` : '';
  return `tokobot: ${warning}${typeof about === 'string' ? `[${about}] ` : ''}${msg}${typeof fields.reason === 'string' ? ` (${fields.reason})` : ''}\n`;
}

/** Appends to the log file; a log that cannot be written does not stop the command. */
function keep(file: string | undefined, line: string): void {
  if (!file) return;
  try {
    appendFileSync(file, line, { mode: 0o600 });
  } catch {
    // The terminal still shows what it shows.
  }
}

/** Where pino's JSON lines go: the file whole, the terminal as terminalText() says. */
function cliLogStream(file: string | undefined, verbose: boolean): Writable {
  const terminal = cliIo().stderr;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString();
      keep(file, line);
      let record: LogRecord | undefined;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        terminal.write(line);
      }
      const shown = record ? terminalText(record, verbose) : '';
      if (shown) terminal.write(shown);
      done();
    },
  });
}

/**
 * The logger of a one-off command, to cliLogStream: at the config's level and under its data
 * folder (the demo's are its own), else LOG_LEVEL's and DATA_DIR's; debug with --verbose.
 */
export function cliLogger(config?: { dataDir: string; log: { level: string } }): Logger {
  const verbose = isVerbose();
  const { dataDir, level } = config ? { dataDir: config.dataDir, level: config.log.level } : settings();
  return createLogger(verbose && !DEBUG_LEVELS.has(level) ? 'debug' : level, cliLogStream(cliLogFile(dataDir), verbose));
}

/**
 * Logs an unexpected error in full under its reference: to the log file, whose path it returns,
 * or, without one, to standard error (undefined).
 */
export function logUnexpected(err: unknown, ref: string, command: string): string | undefined {
  const file = cliLogFile(settings().dataDir);
  createLogger('error', cliLogStream(file, !file)).error({ err, ref, command }, 'unexpected error');
  return file;
}
