import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.ts';
import { RESTORE_ROLE, type RestoreRole } from '../adapters/postgres/restore-role.ts';
import type { ArchiveRestorer, RestoreTarget } from '../pipeline/ports.ts';

/**
 * The restore server from the config. Each kind's adapter (and Docker's client, the heaviest
 * module tokobot loads) is imported only when that kind is built, so a command that only reads
 * the ops database starts without them.
 */

/** Every file keptPassword writes into DATA_DIR: the keys a tokobot job backs up (self-source.ts). */
export const KEPT_PASSWORD_FILES = ['pg-docker-password', 'pg-embedded-password', 'pg-restore-password'] as const;

/** A password from the environment, else made once and kept in DATA_DIR/<file> (0600). */
async function keptPassword(config: Config, given: string | undefined, file: string): Promise<string> {
  if (given) return given;
  const where = path.join(config.dataDir, file);
  const saved = await readFile(where, 'utf8').catch(() => '');
  if (saved.trim()) return saved.trim();
  const made = randomBytes(18).toString('base64url');
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(where, `${made}\n`, { mode: 0o600 });
  return made;
}

/** tokobot's TypeScript restorer, for the embedded server and for external servers on machines without pg_restore. */
const ownRestorer: ArchiveRestorer = async (file, client, options) => {
  const { restoreArchive } = await import('../adapters/postgres/archive-restorer.ts');
  return restoreArchive(file, client, { signal: options.signal, onProgress: (p) => { if (p.table) options.onTable?.(p.table); } });
};

/** Docker's client; also for the backup jobs that dump in a container (app.ts). */
export async function newDocker(options: { socketPath: string }) {
  const { default: Docker } = await import('dockerode');
  return new Docker(options);
}

/** How long RESTORE_TARGET=auto waits for Docker's answer before choosing the embedded server. */
const PING_TIMEOUT_MS = 2_000;

/** Whether a Docker Engine answers GET /_ping on the socket; asked without dockerode, so choosing the embedded server never loads it. */
function dockerAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: PING_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', () => resolve(false));
    req.on('close', () => resolve(false)); // settles nothing when an answer came first
  });
}

/** The unprivileged role every restore runs as, its password made once and kept like the servers'. */
async function restoreRole(config: Config): Promise<RestoreRole> {
  const file = 'pg-restore-password';
  return { name: RESTORE_ROLE, password: await keptPassword(config, undefined, file), keptIn: path.join(config.dataDir, file) };
}

export async function buildTarget(config: Config, logger: Logger): Promise<RestoreTarget> {
  const restore = config.restore;
  if (restore.target === 'external') {
    const { ExternalPostgres } = await import('../adapters/postgres/external-postgres.ts');
    return new ExternalPostgres({ url: restore.pgUrl as string, restoreRole: await restoreRole(config), restorer: ownRestorer, logger });
  }
  let kind = restore.target;
  if (kind === 'auto') {
    kind = (await dockerAnswers(config.docker.socket)) ? 'docker' : 'embedded';
    if (kind === 'embedded') logger.info(`no Docker Engine answers at ${config.docker.socket}: using the embedded PostgreSQL under ${path.join(config.dataDir, 'pg')} (set RESTORE_TARGET to choose)`);
  }
  if (kind === 'embedded') {
    const { EmbeddedPostgres } = await import('../adapters/postgres/embedded-postgres.ts');
    return new EmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: restore.embedded.port, password: await keptPassword(config, undefined, 'pg-embedded-password'),
      restoreRole: await restoreRole(config), restorer: ownRestorer, logger });
  }
  const { DockerPostgres } = await import('../adapters/docker/docker-postgres.ts');
  return new DockerPostgres({
    docker: await newDocker({ socketPath: config.docker.socket }),
    image: restore.docker.image,
    containerName: restore.docker.container,
    volume: restore.docker.volume,
    port: restore.docker.port,
    network: restore.docker.network,
    user: 'postgres',
    password: await keptPassword(config, restore.docker.password, 'pg-docker-password'),
    restoreRole: await restoreRole(config),
    logger,
  });
}

