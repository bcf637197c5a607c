import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const tail = (s: string) => s.slice(-20_000);

/**
 * Runs a command in a container and waits for its exit code. With `stdinFile`, the file is
 * streamed to the command's stdin and the stream ended, which the command sees as EOF (the exec
 * must be started with hijack, or stdin never arrives).
 */
export async function runExec(container: Dockerode.Container, modem: { demuxStream: (s: NodeJS.ReadableStream, o: NodeJS.WritableStream, e: NodeJS.WritableStream) => void },
  cmd: string[], options: { env?: string[]; stdinFile?: string } = {}): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, Env: options.env, AttachStdin: Boolean(options.stdinFile), AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: Boolean(options.stdinFile) });
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d: Buffer) => { stdout = tail(stdout + d.toString()); });
  err.on('data', (d: Buffer) => { stderr = tail(stderr + d.toString()); });
  modem.demuxStream(stream, out, err);
  const done = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  if (options.stdinFile) {
    const input = createReadStream(options.stdinFile, { highWaterMark: 1 << 20 });
    input.on('error', () => stream.end());
    input.pipe(stream);
  }
  await done;
  // ExitCode can still be null for a moment after the stream closes.
  for (let i = 0; i < 200; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { code: info.ExitCode, stdout, stderr };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { code: null, stdout, stderr };
}

/** Copies a file into the container (as a one-file tar), for pg_restore -j, which cannot read stdin. */
export async function putFile(container: Dockerode.Container, file: string, size: number, dir: string, name: string): Promise<void> {
  const tar = await import('tar-stream'); // only parallel restores need it
  const pack = tar.pack();
  const entry = pack.entry({ name, size, mode: 0o644 });
  createReadStream(file).pipe(entry);
  entry.on('finish', () => pack.finalize());
  await container.putArchive(pack as unknown as NodeJS.ReadableStream, { path: dir });
}
