import { randomBytes } from 'node:crypto';
import { ownClient } from '../postgres/with-client.ts';
import { stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { RestoreOptions, RestoreTarget } from '../../pipeline/ports.ts';
import { parseMajor, restoreArgs, restoreFailure, restoreInterrupted } from '../postgres/pg-restore-process.ts';
import { PostgresRestoreServer } from '../postgres/postgres-restore-server.ts';
import { describeRestoreRole, ensureRestoreRole, type RestoreRole } from '../postgres/restore-role.ts';
import { putFile, runExec } from './docker-exec.ts';

export interface DockerPostgresOptions {
  docker: Dockerode;
  image: string;
  containerName: string;
  volume: string;
  /** Loopback port the server is reached on. */
  port: number;
  /** bridge: the container's 5432 is published on 127.0.0.1:port; host: the server itself listens on 127.0.0.1:port. */
  network: 'bridge' | 'host';
  user: string;
  password: string;
  /** The unprivileged role restores run as; ensure() creates it. */
  restoreRole: RestoreRole;
  logger?: Pick<Logger, 'info' | 'warn'>;
  readyTimeoutMs?: number;
  /** A pull that reports nothing for this long is abandoned (a registry that never answers). */
  pullIdleTimeoutMs?: number;
}

const DATA_DIR = '/var/lib/postgresql/data';
const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dockerDown(err: unknown, docker: Dockerode): AppError | null {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'EPERM') {
    const socket = (docker.modem as { socketPath?: unknown }).socketPath;
    const named = typeof socket === 'string';
    return new AppError('unreachable', 'docker', {
      en: `Docker Engine is not running or ${named ? socket : 'its socket'} is not accessible (${code}): start Docker, ` +
        'check DOCKER_SOCKET and that this user may use it, or set RESTORE_TARGET=external with PG_URL.',
      id: `Docker Engine tidak berjalan atau ${named ? socket : 'socket-nya'} tidak bisa diakses (${code}): jalankan Docker, ` +
        'periksa DOCKER_SOCKET dan bahwa pengguna ini boleh memakainya, atau isi RESTORE_TARGET=external dengan PG_URL.',
    }, { cause: err, retryable: true });
  }
  return null;
}

/** Pulls with progress; a pull that reports nothing for idleMs (a registry that never answers) is abandoned. */
function pullImage(docker: Dockerode, image: string, idleMs: number, say: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (err?: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) stream?.destroy?.();
      if (err) reject(err); else resolve();
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(new Error(`no progress for ${Math.round(idleMs / 1000)} s`)), idleMs);
    };
    arm();
    (docker.pull(image) as Promise<NodeJS.ReadableStream>).then((s) => {
      stream = s;
      if (settled) return void stream.destroy?.();
      docker.modem.followProgress(s, (err: Error | null) => finish(err), (e: { status?: string; progress?: string }) => {
        arm();
        if (e.status) say(`pull ${image}: ${e.status} ${e.progress ?? ''}`.trim());
      });
    }, finish);
  });
}

/** A PostgreSQL server that tokobot runs itself, in one Docker container with a named volume. */
export class DockerPostgres extends PostgresRestoreServer implements RestoreTarget {
  readonly kind = 'docker' as const;
  private readonly internalPort: number;

  constructor(private readonly o: DockerPostgresOptions) {
    super();
    this.internalPort = o.network === 'host' ? o.port : 5432;
  }

  adminConnection(database: string): pg.ClientConfig {
    return { host: '127.0.0.1', port: this.o.port, user: this.o.user, password: this.o.password, database };
  }

  restoreConnection(database: string): pg.ClientConfig {
    return { ...this.adminConnection(database), user: this.o.restoreRole.name, password: this.o.restoreRole.password };
  }

  private container(): Dockerode.Container {
    return this.o.docker.getContainer(this.o.containerName);
  }

  /** Runs fn, turning "no Docker Engine" and "container not running" into messages the owner can act on. */
  private async engine<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (statusOf(err) === 409 && /is not running|is paused|is restarting/i.test(String((err as Error).message))) {
        throw new AppError('unreachable', 'docker', {
          en: `The PostgreSQL container ${this.o.containerName} is not running; tokobot starts it before each sync.`,
          id: `Wadah (container) PostgreSQL ${this.o.containerName} tidak berjalan; tokobot menyalakannya sebelum setiap sync.`,
        }, { cause: err, retryable: true });
      }
      throw dockerDown(err, this.o.docker) ?? err;
    }
  }

  async diagnose(): Promise<string> {
    return this.engine(async () => {
      await this.o.docker.ping();
      const image = await this.o.docker.getImage(this.o.image).inspect().then(() => true, (err) => { if (statusOf(err) === 404) return false; throw err; });
      const info = await this.container().inspect().catch((err) => { if (statusOf(err) === 404) return null; throw err; });
      if (!info) {
        return `Docker Engine answers; the container ${this.o.containerName} will be created at the first sync` +
          (image ? '' : ` (the image ${this.o.image} is not here yet: it is pulled then, which needs the internet)`);
      }
      if (!info.State.Running) return `Docker Engine answers; the container ${this.o.containerName} is stopped (tokobot starts it before each sync)`;
      await this.waitReady();
      const role = await this.withAdmin((c) => describeRestoreRole(c, this.o.restoreRole));
      return `Docker Engine answers; the container ${this.o.containerName} runs and accepts connections; ${role}`;
    });
  }

  async ensure(onStatus: (text: string) => void = () => undefined): Promise<void> {
    const say = (text: string) => { this.o.logger?.info({ container: this.o.containerName }, text); onStatus(text); };
    await this.engine(async () => {
      let info = await this.container().inspect().catch((err) => { if (statusOf(err) === 404) return null; throw err; });
      if (!info) {
        await this.ensureImage(say);
        say(`creating the PostgreSQL container ${this.o.containerName}`);
        await this.create();
        info = await this.container().inspect();
      }
      if (!info.State.Running) {
        say(`starting the PostgreSQL container ${this.o.containerName}`);
        // 304: someone else started it in the meantime.
        await this.container().start().catch((err) => { if (statusOf(err) !== 304) throw err; });
      }
    });
    await this.waitReady();
    await this.withAdmin((c) => ensureRestoreRole(c, this.o.restoreRole));
  }

  private async ensureImage(say: (text: string) => void): Promise<void> {
    const present = await this.o.docker.getImage(this.o.image).inspect().then(() => true, (err) => {
      if (statusOf(err) === 404) return false;
      throw err;
    });
    if (present) return;
    say(`pulling ${this.o.image}`);
    try {
      await pullImage(this.o.docker, this.o.image, this.o.pullIdleTimeoutMs ?? 120_000, say);
    } catch (err) {
      const why = (err as Error).message.split('\n')[0];
      throw dockerDown(err, this.o.docker) ?? new AppError('unreachable', 'docker', {
        en: `The PostgreSQL image ${this.o.image} is not on this machine and could not be pulled ` +
          `(${why}). Load it with "docker load -i FILE", or set PG_DOCKER_IMAGE to an image that is present.`,
        id: `Image PostgreSQL ${this.o.image} tidak ada di mesin ini dan tidak bisa diunduh ` +
          `(${why}). Muat dengan "docker load -i FILE", atau isi PG_DOCKER_IMAGE dengan image yang ada.`,
      }, { cause: err, retryable: true });
    }
  }

  private async create(): Promise<void> {
    const host = this.o.network === 'host';
    await this.o.docker.createContainer({
      name: this.o.containerName,
      Image: this.o.image,
      Env: [`POSTGRES_USER=${this.o.user}`, `POSTGRES_PASSWORD=${this.o.password}`, `PGDATA=${DATA_DIR}`],
      Cmd: host ? ['postgres', '-p', String(this.o.port), '-c', 'listen_addresses=127.0.0.1'] : undefined,
      Labels: { 'tokobot.role': 'restore-server', 'tokobot.volume': this.o.volume },
      // PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect.
      StopSignal: 'SIGINT',
      ExposedPorts: host ? undefined : { '5432/tcp': {} },
      HostConfig: {
        NetworkMode: host ? 'host' : 'bridge',
        PortBindings: host ? undefined : { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: String(this.o.port) }] },
        Binds: [`${this.o.volume}:${DATA_DIR}`],
        RestartPolicy: { Name: 'unless-stopped' },
      },
    }).catch((err) => { if (statusOf(err) !== 409) throw err; }); // 409: a concurrent ensure() made it
  }

  private async waitReady(): Promise<void> {
    const timeoutMs = this.o.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      const client = ownClient({ ...this.adminConnection('postgres'), connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (err) {
        last = err;
        await this.failIfStopped();
      } finally {
        await client.end().catch(() => undefined);
      }
      await sleep(300);
    }
    const seconds = Math.round(timeoutMs / 1000);
    const why = (last as Error | undefined)?.message;
    throw new AppError('unreachable', 'postgres', {
      en: `The PostgreSQL container ${this.o.containerName} did not accept connections on 127.0.0.1:${this.o.port} ` +
        `within ${seconds} s (${why ?? 'no answer'}). Check "docker logs ${this.o.containerName}".`,
      id: `Wadah PostgreSQL ${this.o.containerName} tidak menerima koneksi di 127.0.0.1:${this.o.port} ` +
        `dalam ${seconds} detik (${why ?? 'tidak ada jawaban'}). Periksa "docker logs ${this.o.containerName}".`,
    }, { retryable: true });
  }

  private async failIfStopped(): Promise<void> {
    const info = await this.engine(() => this.container().inspect());
    if (info.State.Running || info.State.Restarting) return;
    const logs = (await this.container().logs({ stdout: true, stderr: true, tail: 5 })).toString().replace(/[^\x20-\x7e\n]/g, '').trim();
    throw new AppError('unreachable', 'docker', {
      en: `The PostgreSQL container ${this.o.containerName} stopped (exit code ${info.State.ExitCode}). Its last lines: ${logs}`,
      id: `Wadah PostgreSQL ${this.o.containerName} berhenti (exit code ${info.State.ExitCode}). Baris terakhirnya: ${logs}`,
    });
  }

  /** Runs a command in the container; pg_restore in it connects as the restore role, its password in the exec's environment (never on a command line). */
  private exec(cmd: string[], options: { stdinFile?: string; onLine?: (line: string) => void; signal?: AbortSignal } = {}) {
    return this.engine(() => runExec(this.container(), this.o.docker.modem, cmd, { env: [`PGPASSWORD=${this.o.restoreRole.password}`], ...options }));
  }

  async pgRestoreMajor(): Promise<number> {
    return parseMajor((await this.exec(['pg_restore', '--version'])).stdout);
  }

  async restore(archivePath: string, database: string, options: RestoreOptions = {}): Promise<void> {
    const { signal, onOutput } = options;
    if (signal?.aborted) throw restoreInterrupted();
    const jobs = options.jobs ?? 1;
    const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const pidFile = `/tmp/tokobot-restore-${id}.pid`;
    const copy = jobs > 1 ? `/tmp/tokobot-restore-${id}.i5bu` : undefined;
    const args = ['-h', '/var/run/postgresql', '-p', String(this.internalPort), '-U', this.o.restoreRole.name,
      ...restoreArgs(database, copy ? jobs : 1), ...(copy ? [copy] : [])];
    // The shell records pg_restore's pid before becoming it, so an abort can kill exactly that
    // process with shell builtins (pkill is missing from the Debian-based official images).
    const cmd = ['sh', '-c', 'echo $$ > "$0" && exec pg_restore "$@"', pidFile, ...args];
    let finished = false;
    const onAbort = () => { void this.killRestore(pidFile, () => finished); };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (copy) await this.engine(async () => putFile(this.container(), archivePath, (await stat(archivePath)).size, '/tmp', copy.slice(5)));
      if (signal?.aborted) throw restoreInterrupted();
      const result = await this.exec(cmd, { stdinFile: copy ? undefined : archivePath, onLine: onOutput, signal });
      if (signal?.aborted) throw restoreInterrupted();
      if (result.code !== 0) throw restoreFailure(result.stderr, result.code);
    } finally {
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      await this.exec(['rm', '-f', pidFile, ...(copy ? [copy] : [])]).catch(() => undefined);
    }
  }

  /** Retries (bounded) because the abort can come before the shell has written the pid file. */
  private async killRestore(pidFile: string, finished: () => boolean): Promise<void> {
    for (let i = 0; i < 20 && !finished(); i++) {
      await this.exec(['sh', '-c', 'read p < "$0" && kill -TERM "$p"', pidFile]).catch(() => undefined);
      await sleep(500);
    }
  }
}
