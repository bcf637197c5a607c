import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDropbox } from '../test/fakes/fake-dropbox.ts';
import { FakeTelegram } from '../test/fakes/fake-telegram.ts';
import { zipFile } from '../test/fixtures/ipos-database.ts';
import { LOCAL_PG_URL } from '../test/helpers/local-pg.ts';
import { quietPool } from './fleet-engine.ts';
import { dropDatabasesStarting, type Processes } from './fleet-processes.ts';

export interface WatchOptions {
  /** A small .i5bu: each landing is a zip of it under a new entry name, so its content hash is new. */
  archive: string;
  stores: number;
  landings: number;
  gapMs: number;
  prefix: string;
  work: string;
  processes: Processes;
}

export interface WatchFigure { stores: number; landings: number; gapMs: number; latenciesMs: number[]; missed: number }

/**
 * Event-driven sync end to end: `tokobot start` as a front end (WORKER_CONCURRENCY=0: bot, web off,
 * the Dropbox watch) and one `tokobot worker`, against the fake Dropbox and the fake Bot API.
 * Backups land one after another, round-robin over the stores; each is timed from landing to a
 * published list of that file or a later one of the same store (published.published_at).
 */
export async function watchLatency(o: WatchOptions): Promise<WatchFigure> {
  const dropbox = await FakeDropbox.start();
  const telegram = await FakeTelegram.start();
  const opsDb = `tokobot_${o.prefix}_ops_watch`;
  const ids = Array.from({ length: o.stores }, (_, i) => `${o.prefix}w${i + 1}`);
  const dir = path.join(o.work, 'watch');
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'stores.json');
  writeFileSync(configFile, JSON.stringify({ stores: ids.map((id) => ({ id, dropboxFolder: `/iPOS/${id}` })) }));
  const zips: string[] = [];
  for (let k = 1; k <= o.landings; k++) {
    zips.push(path.join(dir, `backup_${k}.zip`));
    await zipFile(o.archive, zips[k - 1]!, `backup_${k}.i5bu`);
  }
  for (const id of ids) await dropbox.addFile(`/iPOS/${id}/readme.txt`, Buffer.from('the folder exists before tokobot starts'));
  const env = {
    HOME: o.work, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: opsDb, DATA_DIR: path.join(dir, 'data'), TOKOBOT_CONFIG: configFile,
    SYNC_CRON: '0 0 1 1 *', LOG_LEVEL: 'warn', TOKOBOT_LANG: 'en',
    DROPBOX_APP_KEY: dropbox.appKey, DROPBOX_APP_SECRET: dropbox.appSecret, DROPBOX_REFRESH_TOKEN: dropbox.refreshToken,
    DROPBOX_API_URL: dropbox.url, DROPBOX_CONTENT_URL: dropbox.url,
    TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_OWNERS: '1',
  };
  const front = o.processes.start(['start'], { ...env, WORKER_CONCURRENCY: '0' }, path.join(dir, 'start.log'));
  const worker = o.processes.start(['worker', '--concurrency', '1'], { ...env, WORKER_NAME: 'bench-watch' }, path.join(dir, 'worker.log'));
  const pool = quietPool(opsDb);
  try {
    const ready = Date.now() + 120_000;
    while (dropbox.pendingLongpolls() < o.stores) {
      if (Date.now() > ready) throw new Error(`the watch did not wait on ${o.stores} folders within 120 s (${dropbox.pendingLongpolls()} longpolls; see ${dir}/start.log)`);
      await sleep(100);
    }
    const landed: { store: string; k: number; at: number }[] = [];
    // Each landing is served by a publication of its file or a later one of its store; watched
    // while the landings go on, since a store's next landing replaces its list.
    const served = new Map<number, number>();
    let landingsDone = false;
    const watch = (async () => {
      const deadline = Date.now() + o.landings * o.gapMs + 180_000;
      while (!(landingsDone && served.size === landed.length) && Date.now() < deadline) {
        const rows = (await pool.query('SELECT store, source_file, extract(epoch FROM published_at) * 1000 AS at FROM published')).rows;
        for (const r of rows) {
          const k = Number(/backup_(\d+)\./.exec(r.source_file as string)?.[1]);
          for (const l of landed) if (l.store === r.store && l.k <= k && !served.has(l.k)) served.set(l.k, Number(r.at) - l.at);
        }
        await sleep(100);
      }
    })().then(() => undefined, (err: unknown) => err);
    try {
      for (let k = 1; k <= o.landings; k++) {
        const store = ids[(k - 1) % o.stores]!;
        await dropbox.addFile(`/iPOS/${store}/backup_${k}.zip`, zips[k - 1]!);
        landed.push({ store, k, at: Date.now() });
        if (k < o.landings) await sleep(o.gapMs);
      }
    } finally {
      landingsDone = true;
    }
    const failed = await watch;
    if (failed) throw failed;
    return { stores: o.stores, landings: o.landings, gapMs: o.gapMs, latenciesMs: [...served.values()], missed: landed.length - served.size };
  } finally {
    await Promise.all([o.processes.stop(front), o.processes.stop(worker)]);
    await pool.end();
    await dropbox.close();
    await telegram.close();
    await dropDatabasesStarting(opsDb);
    for (const id of ids) await dropDatabasesStarting(`ipos_${id}`);
  }
}
