import type pg from 'pg';
import type { Agents } from './agents.ts';
import type { ButtonMemory } from './button-memory.ts';
import type { Chats } from './chats.ts';
import type { DataVersion } from './data-version.ts';
import type { Locks } from './locks.ts';
import type { PriceLists } from './price-lists.ts';
import type { PriceChangeLog } from './price-changes.ts';
import type { SyncRunLog } from './sync-runs.ts';
import type { WebAuth } from './web-auth.ts';
import type { WebAudit } from './web-audit.ts';
import type { WebTokens } from './web-tokens.ts';
import type { WatchCursors } from './watch-cursors.ts';
import type { Workers } from './workers.ts';
import type { PictureFileIds } from './picture-file-ids.ts';
import { PostgresButtonMemory } from './postgres/button-memory.ts';
import { PgChats } from './postgres/chats.ts';
import { PgDataVersion } from './postgres/data-version.ts';
import { PgLocks } from './postgres/locks.ts';
import { PgPriceLists, type DatabaseSwap } from './postgres/price-lists.ts';
import { PgPriceChangeLog } from './postgres/price-changes.ts';
import { PgSyncRunLog } from './postgres/sync-runs.ts';
import { PgWebAuth } from './postgres/web-auth.ts';
import { PgWebAudit } from './postgres/web-audit.ts';
import { PgWebTokens } from './postgres/web-tokens.ts';
import { PgWatchCursors } from './postgres/watch-cursors.ts';
import { PgWorkers } from './postgres/workers.ts';
import { PgAgents } from './postgres/agents.ts';
import { PgPictureFileIds } from './postgres/picture-file-ids.ts';

export { openOpsDatabase, migrate } from './postgres/ops-database.ts';

/** The ops database as the sync side, the bot and the ops HTTP server see it. */
export interface OpsStores {
  runs: SyncRunLog;
  priceLists: PriceLists;
  /** What each publication changed, and who is told after a sync. */
  priceChanges: PriceChangeLog;
  chats: Chats;
  /** What chat buttons too long for Telegram's 64 bytes stand for. */
  buttons: ButtonMemory;
  locks: Locks;
  /** The web dashboard's sign-in links and sessions. */
  web: WebAuth;
  /** The dashboard's API tokens and kiosk links. */
  webTokens: WebTokens;
  /** Who changed what through the dashboard. */
  webAudit: WebAudit;
  /** Where each watched backup folder's changes were last read up to. */
  watchCursors: WatchCursors;
  /** The heartbeats of worker processes. */
  workers: Workers;
  /** Shop agents: their tokens, their latest state (their runs are in the backup run log). */
  agents: Agents;
  /** Whether anything was written since: the dashboard reuses what it read while nothing was. */
  version: DataVersion;
  /** Telegram's file ids of item pictures already sent. */
  pictureFileIds: PictureFileIds;
}

/** The stores over an open ops database (openOpsDatabase). `swapDatabases`: what a publication swaps with its list (swapStagingIn). */
export function createOpsStores(pool: pg.Pool, options: { swapDatabases: DatabaseSwap }): OpsStores {
  return {
    runs: new PgSyncRunLog(pool),
    priceLists: new PgPriceLists(pool, options.swapDatabases),
    priceChanges: new PgPriceChangeLog(pool),
    chats: new PgChats(pool),
    buttons: new PostgresButtonMemory(pool),
    locks: new PgLocks(pool),
    web: new PgWebAuth(pool),
    webTokens: new PgWebTokens(pool),
    webAudit: new PgWebAudit(pool),
    version: new PgDataVersion(pool),
    watchCursors: new PgWatchCursors(pool),
    workers: new PgWorkers(pool),
    agents: new PgAgents(pool),
    pictureFileIds: new PgPictureFileIds(pool),
  };
}
