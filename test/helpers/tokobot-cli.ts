import { execFile } from 'node:child_process';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli.ts';

export interface CliResult { code: number; stdout: string; stderr: string }

/** The `tokobot` program, for the tests where the process itself matters: exit codes as a shell sees them, signals, the bin wrapper. */
export const TOKOBOT_BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tokobot.js');

/** A stream that hands each piece written to `add` as text. */
function collect(add: (text: string) => void): Writable {
  return new Writable({ write(chunk: Buffer, _encoding, done) { add(chunk.toString()); done(); } });
}

/**
 * `tokobot ARGS` run in this test process: `env` is its whole environment (no .env is read),
 * `input` its standard input; it gives what a process would print and exit with, without a
 * process (and the sources loaded again) for each command. `onStderr` sees standard error as it
 * grows, for commands that ask and wait (the test answers by writing to its own `input`).
 */
export async function tokobot(args: string[], env: Record<string, string>, options: { input?: string | Readable; onStderr?: (all: string) => void } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = options.input instanceof Readable ? options.input : Readable.from(options.input ? [options.input] : []);
  const code = await runCli(args, {
    env: { ...env }, stdin,
    stdout: collect((text) => { stdout += text; }),
    stderr: collect((text) => { stderr += text; options.onStderr?.(stderr); }),
  });
  return { code, stdout, stderr };
}

/** `tokobot ARGS` in a process of its own, through bin/tokobot.js, with `env` as its environment. */
export function tokobotProcess(args: string[], env: Record<string, string>, options: { cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [TOKOBOT_BIN, ...args], { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    child.stdin?.end(options.input ?? '');
  });
}
