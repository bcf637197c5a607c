import pg from 'pg';
import { ownClient } from './with-client.ts';
import type { ArchiveRestorer, RestoreOptions } from '../../pipeline/ports.ts';

/** Restores an archive with tokobot's own restorer over one connection to the database. */
export async function restoreOverPg(restorer: ArchiveRestorer, connection: pg.ClientConfig, archivePath: string, options: RestoreOptions): Promise<void> {
  const client = ownClient(connection);
  await client.connect();
  try {
    await restorer(archivePath, client, { signal: options.signal, onTable: (t) => options.onOutput?.(`restoring ${t}`) });
  } finally {
    await client.end().catch(() => undefined);
  }
}
