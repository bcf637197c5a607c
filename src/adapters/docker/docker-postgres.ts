import { stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { RestoreOptions, RestoreTarget } from '../../pipeline/ports.ts';
import { parseMajor, restoreFailure } from '../postgres/pg-restore-process.ts';
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
  logger?: Pick<Logger, 'info' | 'warn'>;
  readyTimeoutMs?: number;
}

const DATA_DIR = '/var/lib/postgresql/data';
const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

function dockerDown(err: unknown): AppError | null {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
    return new AppError('restore-server', `Docker Engine is not running or its socket cannot be opened (${code}): start Docker, ` +
      'check DOCKER_SOCKET and that this user may use it, or set RESTORE_TARGET=external with PG_URL.', { cause: err, retryable: true });
  }
  return null;
}

/** A PostgreSQL server that tokobot runs itself, in one Docker container with a named volume. */
export class DockerPostgres implements RestoreTarget {
  readonly kind = 'docker' as const;
  private readonly internalPort: number;

  constructor(private readonly o: DockerPostgresOptions) {
    this.internalPort = o.network === 'host' ? o.port : 5432;
  }

  connection(database: string): pg.ClientConfig {
    return { host: '127.0.0.1', port: this.o.port, user: this.o.user, password: this.o.password, database };
  }

  private container(): Dockerode.Container {
    return this.o.docker.getContainer(this.o.containerName);
  }

  async ensure(onStatus: (text: string) => void = () => undefined): Promise<void> {
    try {
      let info = await this.container().inspect().catch((err) => { if (statusOf(err) === 404) return null; throw err; });
      if (!info) {
        await this.ensureImage(onStatus);
        onStatus(`creating the PostgreSQL container ${this.o.containerName}`);
        await this.create();
        info = await this.container().inspect();
      }
      if (!info.State.Running) {
        onStatus(`starting the PostgreSQL container ${this.o.containerName}`);
        await this.container().start();
      }
    } catch (err) {
      throw dockerDown(err) ?? err;
    }
    await this.waitReady();
  }

  private async ensureImage(onStatus: (text: string) => void): Promise<void> {
    const present = await this.o.docker.getImage(this.o.image).inspect().then(() => true, (err) => {
      if (statusOf(err) === 404) return false;
      throw err;
    });
    if (present) return;
    onStatus(`pulling ${this.o.image}`);
    try {
      const stream = await this.o.docker.pull(this.o.image);
      await new Promise<void>((resolve, reject) => this.o.docker.modem.followProgress(stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (e: { status?: string; progress?: string }) => { if (e.status) onStatus(`pull ${this.o.image}: ${e.status} ${e.progress ?? ''}`.trim()); }));
    } catch (err) {
      throw new AppError('restore-server', `The PostgreSQL image ${this.o.image} is not on this machine and could not be pulled ` +
        `(${(err as Error).message.split('\n')[0]}). Load it with "docker load", or set PG_DOCKER_IMAGE to an image that is present.`, { cause: err });
    }
  }

  private async create(): Promise<void> {
    const host = this.o.network === 'host';
    await this.o.docker.createContainer({
      name: this.o.containerName,
      Image: this.o.image,
      Env: [`POSTGRES_USER=${this.o.user}`, `POSTGRES_PASSWORD=${this.o.password}`, `PGDATA=${DATA_DIR}`],
      Cmd: host ? ['postgres', '-p', String(this.o.port), '-c', 'listen_addresses=127.0.0.1'] : undefined,
      Labels: { 'tokobot.role': 'restore-server' },
      ExposedPorts: host ? undefined : { '5432/tcp': {} },
      HostConfig: {
        NetworkMode: host ? 'host' : 'bridge',
        PortBindings: host ? undefined : { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: String(this.o.port) }] },
        Binds: [`${this.o.volume}:${DATA_DIR}`],
        RestartPolicy: { Name: 'unless-stopped' },
      },
    });
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.o.readyTimeoutMs ?? 60_000);
    let last: unknown;
    while (Date.now() < deadline) {
      const client = new pg.Client({ ...this.connection('postgres'), connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (err) {
        last = err;
        const info = await this.container().inspect();
        if (!info.State.Running && !info.State.Restarting) {
          const logs = (await this.container().logs({ stdout: true, stderr: true, tail: 5 })).toString().replace(/[^\x20-\x7e\n]/g, '').trim();
          throw new AppError('restore-server', `The PostgreSQL container ${this.o.containerName} stopped (exit code ${info.State.ExitCode}). Its last lines: ${logs}`);
        }
      } finally {
        await client.end().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new AppError('restore-server', `The PostgreSQL container ${this.o.containerName} did not accept connections on 127.0.0.1:${this.o.port} ` +
      `within ${Math.round((this.o.readyTimeoutMs ?? 60_000) / 1000)} s (${(last as Error)?.message ?? 'no answer'}). Check "docker logs ${this.o.containerName}".`, { retryable: true });
  }

  private exec(cmd: string[], stdinFile?: string) {
    return runExec(this.container(), this.o.docker.modem, cmd, { env: [`PGPASSWORD=${this.o.password}`], stdinFile });
  }

  async pgRestoreMajor(): Promise<number> {
    return parseMajor((await this.exec(['pg_restore', '--version'])).stdout);
  }

  async restore(archivePath: string, database: string, options: RestoreOptions = {}): Promise<void> {
    const args = ['pg_restore', '--no-owner', '--no-privileges', '--exit-on-error', '-h', '/var/run/postgresql',
      '-p', String(this.internalPort), '-U', this.o.user, '-d', database];
    const jobs = options.jobs ?? 1;
    const onAbort = () => { void this.exec(['pkill', '-f', `pg_restore .* -d ${database}`]).catch(() => undefined); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let result;
      if (jobs <= 1) {
        result = await this.exec(args, archivePath);
      } else {
        const name = `tokobot-restore-${process.pid}-${Date.now()}.i5bu`;
        await putFile(this.container(), archivePath, (await stat(archivePath)).size, '/tmp', name);
        try {
          result = await this.exec([...args, '-j', String(jobs), `/tmp/${name}`]);
        } finally {
          await this.exec(['rm', '-f', `/tmp/${name}`]).catch(() => undefined);
        }
      }
      if (result.code !== 0) throw restoreFailure(result.stderr, result.code);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}
