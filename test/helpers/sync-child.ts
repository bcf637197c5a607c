/**
 * A sync in a process of its own, killed with SIGKILL at the point named in TOKOBOT_TEST_KILL_AT
 * (src/kill-point.ts). The app is built from TOKOBOT_TEST_ENV, a harness's settings as JSON.
 * Exits 0 when the sync ends without reaching that point.
 */
import { createApp } from '../../src/main/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log.ts';
import { syncStore } from '../../src/pipeline/sync/sync-store.ts';

const config = loadConfig(JSON.parse(process.env.TOKOBOT_TEST_ENV ?? '{}') as Record<string, string>);
const app = await createApp(config, createLogger('silent'));
const outcome = await syncStore(app.sync, app.store(), 'test');
console.log(JSON.stringify({ status: outcome.status, error: outcome.error }));
await app.close();
