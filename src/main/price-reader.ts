import type { Logger } from 'pino';
import type { Config } from '../config/load-config.ts';
import type { PriceLists } from '../store/price-lists.ts';
import { swapStagingIn } from '../store/postgres/database-swap.ts';
import { openMigratedOpsDatabase, openOpsDatabase } from '../store/postgres/ops-database.ts';
import { PgPriceLists } from '../store/postgres/price-lists.ts';
import { buildTarget } from './restore-target.ts';
import { opsConnection, opsDatabaseName } from './ops-connection.ts';

/**
 * Only the published price lists, for a one-shot reader (tokobot ask): the ops database opened on
 * the restore server (or OPS_DATABASE_URL) without building the rest of the app (sources, backups, alerts, Docker's
 * client for the other targets), so that a question costs a start-up and one search. A restore
 * server that does not answer (a stopped container or embedded server) is started first.
 */
export async function openPriceLists(config: Config, logger: Logger): Promise<{ priceLists: PriceLists; close(): Promise<void> }> {
  const target = await buildTarget(config, logger);
  const connection = opsConnection(config, target);
  const dropped = (err: Error) => logger.warn({ reason: err.message }, 'ops database connection dropped; it will reconnect');
  const open = async () => await openMigratedOpsDatabase(connection, opsDatabaseName(config), dropped)
    ?? await openOpsDatabase(connection, opsDatabaseName(config), dropped);
  const pool = await open().catch(async () => {
    await target.ensure((text) => logger.info(text));
    return open();
  });
  return {
    // The price lists alone, not createOpsStores: the other stores' modules are not loaded.
    priceLists: new PgPriceLists(pool, swapStagingIn),
    async close() {
      await pool.end();
      await target.stop?.();
    },
  };
}
