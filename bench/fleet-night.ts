/**
 * npm run bench:night — issue 15's "done when", run as the provider would see it: three
 * `tokobot worker` processes and one `tokobot start` (itself a worker of one slot) on this
 * machine, a fleet of STORES folder stores (the demo's iPOS backup each) on one ops database,
 * every store's schedule firing at the same minute. One worker is killed (kill -9) once a
 * quarter of the night is done. Then a new backup lands in one store's folder and `tokobot start`'s
 * watch queues its sync. Prints: stores synced and not, runs of one store overlapping (none
 * allowed), the night's wall time, when the killed worker's job was taken up, and the time from the
 * new backup landing to its list published.
 *
 *   npm run bench:night -- --stores 200
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../test/helpers/fleet.ts';
import { FakeTelegram } from '../test/fakes/fake-telegram.ts';
import { until } from '../test/helpers/until.ts';
import { freshBackup } from '../test/helpers/fresh-backup.ts';

const { values } = parseArgs({ options: { stores: { type: 'string', default: '200' }, 'dead-after': { type: 'string', default: '20' } } });
const count = Number(values.stores);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const ids = Array.from({ length: count }, (_, i) => `fn${String(i + 1).padStart(3, '0')}`);

/** The next minute at least 40 s away, as a cron line in Asia/Jakarta (the shops' zone): every store's schedule fires then. */
function nextMinute(): { cron: string; at: Date } {
  const at = new Date(Math.ceil((Date.now() + 40_000) / 60_000) * 60_000);
  const wib = new Date(at.getTime() + 7 * 3_600_000);
  return { cron: `${wib.getUTCMinutes()} ${wib.getUTCHours()} * * *`, at };
}

const tick = nextMinute();
const telegram = await FakeTelegram.start();
const fleet = await Fleet.open('night', ids.map((id) => ({ id, backup: 'demo' as const })), {
  SYNC_CRON: tick.cron, STORE_TZ: 'Asia/Jakarta', WORKER_DEAD_AFTER_S: values['dead-after']!, LOG_LEVEL: 'warn',
});
try {
  const start = fleet.spawnTokobot('front', ['start'], { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, WORKER_CONCURRENCY: '1' });
  const workers = ['w1', 'w2', 'w3'].map((name) => fleet.spawnWorker(name, 1));
  await until('four workers beat', async () => Number((await fleet.query('SELECT count(*)::int AS n FROM workers'))[0]!.n) === 4, 60_000);
  console.log(`fleet: ${count} stores, 3 tokobot worker + 1 tokobot start (1 slot each); every schedule fires at ${tick.at.toISOString()} (${tick.cron} WIB)`);

  const finished = async () => Number((await fleet.query("SELECT count(DISTINCT store)::int AS n FROM sync_runs WHERE trigger = 'schedule' AND status = 'success'"))[0]!.n);
  await until('the schedule fires', async () => Number((await fleet.query('SELECT count(*)::int AS n FROM sync_runs'))[0]!.n) > 0, tick.at.getTime() - Date.now() + 30_000);
  const began = Date.now();
  await until('a quarter of the night is done', async () => (await finished()) >= count / 4, 30 * 60_000);
  // The victim: a tokobot worker holding a job right now (killed mid-sync, not between two).
  const busy = async () => (await fleet.query(`SELECT w.machine FROM workers w JOIN graphile_worker.jobs j ON j.locked_by = w.id
    WHERE w.machine = ANY($1) LIMIT 1`, [workers.map((w) => w.name)]))[0]?.machine as string | undefined;
  await until('a worker holds a job', async () => Boolean(await busy()), 60_000);
  const holder = await busy();
  const victim = workers.find((w) => w.name === holder) ?? workers[0]!;
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  const held = (await fleet.query("SELECT store FROM sync_runs WHERE status = 'running'")).map((r) => r.store as string);
  console.log(`kill -9 of ${victim.name} (pid ${victim.child.pid}) after ${seconds(killedAt - began)} s, ${await finished()} stores done; running then: ${held.join(', ')}`);

  await until('every store synced', async () => (await finished()) === count, 60 * 60_000);
  const wall = Date.now() - began;
  const runs = await fleet.query(`SELECT status, count(*)::int AS n FROM sync_runs GROUP BY status ORDER BY status`);
  const interrupted = await fleet.query("SELECT store, finished_at FROM sync_runs WHERE error LIKE 'interrupted:%'");
  const retaken = interrupted.length
    ? await fleet.query("SELECT min(started_at) AS at FROM sync_runs WHERE store = ANY($1) AND status = 'success'", [interrupted.map((r) => r.store)]) : [];
  const overlaps = await fleet.overlaps();
  const twice = await fleet.query("SELECT store, count(*)::int AS n FROM sync_runs WHERE status = 'success' GROUP BY store HAVING count(*) > 1");
  console.log(`night: ${count}/${count} stores synced in ${seconds(wall)} s (${(count / (wall / 60_000)).toFixed(1)} stores/min); runs by status: ${runs.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  console.log(`       overlapping runs of one store: ${overlaps.length}; stores published more than once: ${twice.length}; stores forgotten: 0`);
  if (retaken[0]?.at) console.log(`       the killed worker's interrupted sync (${interrupted.map((r) => r.store).join(', ')}) was published again ${seconds((retaken[0].at as Date).getTime() - killedAt)} s after the kill (WORKER_DEAD_AFTER_S=${values['dead-after']})`);

  // A new backup lands in one store's folder: tokobot start's watch queues its sync.
  const store = ids[Math.floor(count / 2)]!;
  const landed = Date.now();
  const file = path.join(fleet.dir, 'stores', store, 'backup-new.i5bu');
  await freshBackup(path.resolve('demo', 'toko-contoh', 'backup_toko_contoh.i5bu'), file); // dumped just now: a new backup, not the same one again
  await until('the new backup is published', async () => (await fleet.query("SELECT 1 FROM sync_runs WHERE store = $1 AND trigger = 'watch' AND status <> 'running'", [store])).length > 0, 120_000);
  const watched = (await fleet.query("SELECT status, finished_at FROM sync_runs WHERE store = $1 AND trigger = 'watch' ORDER BY id DESC LIMIT 1", [store]))[0]!;
  console.log(`new backup in ${store}'s folder → its sync ${watched.status} ${seconds((watched.finished_at as Date).getTime() - landed)} s after it landed (the schedule alone: the next day)`);
  if (overlaps.length || twice.length) process.exitCode = 1;
  await fleet.stop(start);
} finally {
  await fleet.close();
  await telegram.close();
}
