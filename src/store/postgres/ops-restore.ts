import type pg from 'pg';
import { splitPassword } from '../../adapters/postgres/pg-dump.ts';
import { restoreArgs, restoreFailure, runProgram } from '../../adapters/postgres/pg-restore-process.ts';
import { withClient } from '../../adapters/postgres/with-client.ts';
import { quoteIdent } from '../../adapters/postgres/sql-text.ts';
import { AppError, errorDetail, isAppError } from '../../errors.ts';
import type { OpsRestore } from '../../pipeline/backup/restore-self.ts';

/**
 * The ops database as restore-self fills it: as the administrator (who alone holds it), with the
 * host's pg_restore. The database is created when missing; one that holds tables is never written
 * into (restore-self refuses it first).
 */
export class OpsDatabaseRestore implements OpsRestore {
  readonly description: string;

  constructor(private readonly connection: (database: string) => pg.ClientConfig, private readonly url: string, readonly name: string,
    private readonly pgRestore = 'pg_restore') {
    this.description = splitPassword(url).where;
  }

  async tables(): Promise<number | null> {
    const exists = await withClient(this.connection('postgres'), async (c) => ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.name])).rowCount ?? 0) > 0);
    if (!exists) return null;
    return withClient(this.connection(this.name), async (c) => Number((await c.query(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'")).rows[0].n));
  }

  /** A load that fails leaves no half-filled ops database behind: one this restore created is dropped again, an existing (empty) one is named. */
  async restore(file: string, signal?: AbortSignal): Promise<void> {
    const created = await withClient(this.connection('postgres'), async (c) => {
      const exists = ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.name])).rowCount ?? 0) > 0;
      if (!exists) await c.query(`CREATE DATABASE ${quoteIdent(this.name)}`);
      return !exists;
    });
    try {
      await this.load(file, signal);
    } catch (err) {
      const dropped = created && await withClient(this.connection('postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(this.name)}`)).then(() => true, () => false);
      const why = isAppError(err) ? err.message : String(err);
      throw new AppError(isAppError(err) ? err.kind : 'refused', 'postgres', dropped
        ? { en: `${why} The ops database ${this.name} this restore created was removed again.`, id: `${isAppError(err) ? errorDetail(err, 'id') : why} Database ops ${this.name} yang dibuat restore ini sudah dihapus lagi.` }
        : { en: `${why} The ops database ${this.name} may hold part of the backup: drop it before running restore-self again.`,
          id: `${isAppError(err) ? errorDetail(err, 'id') : why} Database ops ${this.name} mungkin berisi sebagian backup: hapus dulu sebelum menjalankan restore-self lagi.` }, { cause: err });
    }
  }

  private async load(file: string, signal?: AbortSignal): Promise<void> {
    const { url, password } = splitPassword(this.url);
    // The environment handed on whole (libpq's own PGPASSWORD, when the URL has none).
    const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}), PGCONNECT_TIMEOUT: '15' };
    let result;
    try {
      result = await runProgram(this.pgRestore, [...restoreArgs(url), file], env, { signal });
    } catch (err) {
      throw new AppError('refused', 'postgres', { en: `Cannot run ${this.pgRestore}: ${(err as Error).message}. Install the PostgreSQL client tools.`,
        id: `${this.pgRestore} tidak bisa dijalankan: ${(err as Error).message}. Pasang PostgreSQL client tools.` }, { cause: err });
    }
    if (result.code !== 0) throw restoreFailure(result.stderr, result.code);
  }
}
