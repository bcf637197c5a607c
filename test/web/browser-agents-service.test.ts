import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freePort } from '../helpers/free-port.ts';
import { OWNER_USER, skipBrowser as skip, startWebRun, type WebRun } from '../helpers/web-browser.ts';

/**
 * `tokobot start` as a head office whose store has a shop agent (its reports stored through the
 * real PgAgents, as the ingest API stores them): /status and /agen in the chat (fake Bot API),
 * /agen in Chromium, /metrics over HTTP. The wiring of every front end, on PostgreSQL.
 */
const STORE = `agt${process.pid}`;
let run: WebRun;
const MIN = 60_000;

before(async () => {
  if (skip) return;
  run = await startWebRun(STORE, { HTTP_PORT: String(await freePort()) }, async (h) => {
    // The heartbeat's arrival is the head office's clock: "0 menit lalu".
    const at = new Date(Date.now() - 5 * MIN);
    const started = new Date(Date.now() - 60 * MIN);
    await h.app.opsStores.agents.ingest({ store: STORE, instance: randomUUID(), host: 'KASIR-PUSAT', version: '0.9.0', skewMs: 4 * MIN, reports: [
      { seq: 1, type: 'heartbeat', beat: { at: at.toISOString(), startedAt: at.toISOString(), timeZone: 'Asia/Jakarta', disk: [{ dir: 'C:\\tokobot', freeBytes: 80 * 1024 ** 3, totalBytes: 256 * 1024 ** 3 }],
        jobs: [{ id: 'ipos', type: 'postgres', schedule: '0 23 * * *', nextRun: null }], outboxPending: 0, diskMinFreeBytes: 1024 ** 3 } },
      { seq: 2, type: 'run', run: { id: randomUUID(), job: 'ipos', jobType: 'postgres', trigger: 'schedule', status: 'success', stage: null, stages: [],
        startedAt: started.toISOString(), finishedAt: new Date(started.getTime() + 2 * MIN).toISOString(), fileName: `${STORE}_nightly.i5bu`, bytes: 12_582_912,
        sha256: 'c'.repeat(64), destinations: [], verification: null, error: null, failure: null } },
    ] });
  });
});

after(async () => {
  await run?.close();
});

test('/status and /agen in the chat show the store\'s agent; /agen add answers the enroll line with WEB_URL', { skip, timeout: 120_000 }, async () => {
  const { tg } = run;
  const ask = async (text: string, match: RegExp) => {
    const seen = tg.messages(OWNER_USER.id).length;
    tg.userSays(OWNER_USER, text);
    return (await tg.until(() => tg.messages(OWNER_USER.id).slice(seen).find((m) => match.test(m.text ?? '')))).text ?? '';
  };
  const status = await ask('/status', /Agen toko/);
  assert.match(status, new RegExp(`Toko ${STORE} \\(${STORE}\\) · KASIR-PUSAT · versi 0\\.9\\.0`));
  assert.match(status, /Lapor terakhir: kurang dari 1 menit lalu/);
  assert.match(status, /Jam komputer toko selisih \+4 menit/);
  assert.match(status, new RegExp(`ipos: OK .* WIB · ${STORE}_nightly\\.i5bu · 12,0 MB`));
  const list = await ask('/agen', /token aktif/);
  assert.match(list, /agen di KASIR-PUSAT melapor kurang dari 1 menit lalu · token aktif: 0/);
  const made = await ask(`/agen add ${STORE}`, /tokobot agent enroll/);
  const base = run.h.app.config.web.baseUrl;
  assert.ok(made.includes(`tokobot agent enroll ${base} tka_${STORE}_`), made);
  assert.equal((await run.h.app.opsStores.agents.tokens(STORE)).length, 1);
});

test('/agen in the browser, and /metrics, read the agent from the ops database', { skip, timeout: 120_000 }, async () => {
  const page = await (await run.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await run.signIn(page);
  await page.goto(`http://127.0.0.1:${run.service.webPort}/agen`);
  const card = page.locator(`[data-store="${STORE}"]`);
  assert.match(await card.textContent() ?? '', /MELAPOR.*KASIR-PUSAT.*Disk: 80,0 GB bebas di C:\\tokobot/s);
  await run.shot(page, 'agents-service-pc.png');
  const metrics = await (await fetch(`http://127.0.0.1:${run.service.httpPort}/metrics`)).text();
  assert.match(metrics, new RegExp(`^tokobot_agent_silent\\{store="${STORE}"\\} 0$`, 'm'));
  assert.match(metrics, new RegExp(`^tokobot_backup_runs\\{job="${STORE}/ipos",status="success"\\} 1$`, 'm'));
  assert.match(metrics, new RegExp(`^tokobot_agent_backup_last_success_timestamp_seconds\\{store="${STORE}",job="ipos"\\} \\d+$`, 'm'));
});
