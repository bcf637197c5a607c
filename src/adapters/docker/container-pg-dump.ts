import type { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../../errors.ts';
import type { PostgresDumper } from '../../pipeline/backup/ports.ts';
import { dumpFailure, splitPassword } from '../postgres/pg-dump.ts';
import { execToStream } from './docker-exec.ts';

/**
 * pg_dump -Fc run inside the container that holds the database (dockerode exec), so its
 * pg_dump always matches the server. The URL is as seen from inside the container.
 */
export class ContainerPgDump implements PostgresDumper {
  readonly description: string;

  constructor(private readonly docker: Docker, private readonly containerName: string, private readonly url: string) {
    this.description = `PostgreSQL ${splitPassword(url).where} in the container ${containerName}`;
  }

  async dump(out: Writable, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { url, password, where } = splitPassword(this.url);
    const container = this.docker.getContainer(this.containerName);
    const info = await container.inspect().catch((err: { statusCode?: number; message?: string }) => {
      if (err.statusCode === 404) throw new AppError('refused', 'docker', `There is no Docker container named ${this.containerName}: check the job's container name (docker ps).`);
      throw new AppError('unreachable', 'docker', `Cannot ask Docker about the container ${this.containerName}: ${err.message}. Is Docker running?`, { retryable: true });
    });
    if (!info.State.Running) throw new AppError('unreachable', 'docker', `The container ${this.containerName} is not running: start it (docker start ${this.containerName}).`, { retryable: true });
    const env = password ? [`PGPASSWORD=${password}`, 'PGCONNECT_TIMEOUT=15'] : ['PGCONNECT_TIMEOUT=15'];
    const result = await execToStream(container, this.docker.modem, ['pg_dump', '-Fc', '--no-password', `--dbname=${url}`], out,
      { env, signal: options.signal });
    if (options.signal?.aborted) throw options.signal.reason ?? new AppError('interrupted', 'docker', 'The dump was stopped.');
    if (result.code !== 0) {
      if (/executable file not found/i.test(result.stderr)) {
        throw new AppError('refused', 'docker', `The container ${this.containerName} has no pg_dump: is it a PostgreSQL container?`);
      }
      throw dumpFailure(result.stderr, result.code, where);
    }
  }
}
