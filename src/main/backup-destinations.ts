import type { Logger } from 'pino';
import { DropboxDestination } from '../adapters/dropbox/dropbox-destination.ts';
import type { RetryPolicy } from '../adapters/dropbox/retry.ts';
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { FtpDestination } from '../adapters/ftp/ftp-destination.ts';
import { SftpDestination } from '../adapters/sftp/sftp-destination.ts';
import { FolderDestination } from '../adapters/folder/folder-destination.ts';
import type { JobConfig } from '../config/jobs-from.ts';
import type { Config } from '../config/load-config.ts';
import type { BackupDestination } from '../pipeline/backup/ports.ts';

/** A backup job's destinations (a module of its own so that the shop agent loads no ops-database code with it). */
export function buildDestinations(config: Pick<Config, 'dropbox' | 'proxy'>, job: JobConfig, logger: Logger, retry?: RetryPolicy): BackupDestination[] {
  return job.destinations.map((d) => {
    switch (d.type) {
      case 'local': return new FolderDestination(d.dir);
      case 'dropbox': return new DropboxDestination({ ...config.dropbox, proxy: config.proxy, folder: d.folder, retry, logger });
      case 'ftp':
        if (!d.checkCertificate && d.secure) logger.warn({ job: job.id, host: d.host }, 'FTPS certificate not checked (checkCertificate: false): the connection is encrypted but anyone in between could pose as the server');
        return new FtpDestination(d);
      case 'sftp': return new SftpDestination({ ...d, privateKey: d.privateKeyPath ? privateKey(d.privateKeyPath) : undefined });
    }
  });
}

/** The SFTP key file, read when the job's destinations are built; its content is a secret. */
function privateKey(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new AppError('config', 'sftp', { en: `The SFTP key file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      id: `File kunci SFTP ${file} tidak bisa dibaca (${(err as NodeJS.ErrnoException).code ?? 'error'}).` }, { cause: err });
  }
}
