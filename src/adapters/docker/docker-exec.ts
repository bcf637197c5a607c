import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { OutputCollector, type RunResult } from '../postgres/pg-restore-process.ts';

export type ExecResult = RunResult;

export interface ExecOptions {
  env?: string[];
  /** Streamed to the command's stdin, then ended, which the command sees as EOF. */
  stdinFile?: string;
  onLine?: (line: string) => void;
  /**
   * Stops feeding stdin and bounds the wait for the command to end. It does not kill the
   * command: Docker has no API for that, the caller kills it inside the container.
   */
  signal?: AbortSignal;
}

type Demux = { demuxStream: (s: NodeJS.ReadableStream, o: NodeJS.WritableStream, e: NodeJS.WritableStream) => void };

/** How long an aborted command may take to end before we stop waiting for it. */
const ABORT_GRACE_MS = 10_000;

/**
 * Runs a command in a container and waits for its exit code (null when it could not be read).
 * Stdin only arrives when the exec is started with hijack (without it the exec ends with 126).
 */
export async function runExec(container: Dockerode.Container, modem: Demux, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const withStdin = Boolean(options.stdinFile);
  const exec = await container.exec({ Cmd: cmd, Env: options.env, AttachStdin: withStdin, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: withStdin });
  const output = new OutputCollector(options.onLine);
  const out = new PassThrough().on('data', (d: Buffer) => output.out(d));
  const err = new PassThrough().on('data', (d: Buffer) => output.err(d));
  modem.demuxStream(stream, out, err);
  const done = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });

  const input = options.stdinFile ? createReadStream(options.stdinFile, { highWaterMark: 1 << 20 }) : undefined;
  if (input) {
    input.on('error', () => stream.end());
    input.pipe(stream);
  }
  let giveUp: NodeJS.Timeout | undefined;
  const onAbort = () => {
    input?.unpipe(stream);
    input?.destroy();
    giveUp = setTimeout(() => stream.destroy(), ABORT_GRACE_MS);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await done;
  } finally {
    clearTimeout(giveUp);
    options.signal?.removeEventListener('abort', onAbort);
  }
  output.flush();

  // ExitCode can still be null for a moment after the stream closes.
  for (let i = 0; i < 200; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { code: info.ExitCode, stdout: output.stdout, stderr: output.stderr };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { code: null, stdout: output.stdout, stderr: output.stderr };
}

/** Copies a file into the container as a one-file tar (pg_restore -j cannot read stdin). */
export async function putFile(container: Dockerode.Container, file: string, size: number, dir: string, name: string): Promise<void> {
  const tar = await import('tar-stream'); // only parallel restores need it
  const pack = tar.pack();
  const entry = pack.entry({ name, size, mode: 0o644 });
  const source = createReadStream(file);
  source.on('error', (err) => pack.destroy(err));
  source.pipe(entry);
  entry.on('finish', () => pack.finalize());
  await container.putArchive(pack as unknown as NodeJS.ReadableStream, { path: dir });
}

/**
 * Runs a command in a container with its stdout streamed into `out` (not ended, backpressure
 * respected) and returns its exit code and stderr. Aborting destroys the stream, so the command
 * dies of a broken pipe at its next write.
 */
export async function execToStream(container: Dockerode.Container, modem: Demux, cmd: string[], out: NodeJS.WritableStream,
  options: { env?: string[]; signal?: AbortSignal } = {}): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, Env: options.env, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = new OutputCollector();
  const stdout = new PassThrough({ highWaterMark: 1 << 20 });
  const err = new PassThrough().on('data', (d: Buffer) => output.err(d));
  modem.demuxStream(stream, stdout, err);
  stdout.on('data', (d: Buffer) => {
    if (!out.write(d)) { stream.pause(); out.once('drain', () => stream.resume()); }
  });
  const done = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  const onAbort = () => stream.destroy();
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await done;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  output.flush();
  for (let i = 0; i < 200; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { code: info.ExitCode, stdout: '', stderr: output.stderr };
    if (options.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { code: null, stdout: '', stderr: output.stderr };
}
