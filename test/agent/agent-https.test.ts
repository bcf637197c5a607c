import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ShopWorld } from '../helpers/shop-world.ts';
import { needPgDump, skipUnless } from '../helpers/needs.ts';
import { TlsFront } from '../helpers/tls-front.ts';
import { until } from '../helpers/until.ts';
import { execFileSync } from 'node:child_process';

/**
 * The agent reaches its head office over https, as in the field (a reverse proxy with the
 * certificate in front of WEB_PORT): a certificate it cannot trust is refused with what to check,
 * and nothing is written; a trusted one carries the enrolment and the reports.
 */
const opensslMissing = (() => { try { execFileSync('openssl', ['version']); return undefined; } catch { return 'openssl is not installed (Debian: apt-get install openssl)'; } })();
const skip = await needPgDump() ?? skipUnless(opensslMissing);
let w: ShopWorld;
let front: TlsFront;

before(async () => {
  if (skip) return;
  w = await ShopWorld.open(`h${process.pid}`);
  await w.startHeadOffice();
  front = await TlsFront.start(w.dir, w.webPort);
});

after(async () => {
  if (skip) return;
  await front?.close();
  await w?.close();
});

test('over https: an untrusted certificate is refused and nothing is written; a trusted one enrols the PC and carries its reports', { skip, timeout: 120_000 }, async () => {
  const token = await w.newToken();
  const untrusted = await w.cli(['agent', 'enroll', front.url, token, '--schedule', '0 3 1 1 *'], w.agentEnv());
  assert.equal(untrusted.code, 1, untrusted.stdout + untrusted.stderr);
  assert.match(untrusted.stderr + untrusted.stdout, /certificate .* is not trusted here: DEPTH_ZERO_SELF_SIGNED_CERT.*NODE_EXTRA_CA_CERTS/);
  assert.ok(!existsSync(path.join(w.dir, 'shop-pc', 'agent.json')), 'nothing written');

  const trust = { NODE_EXTRA_CA_CERTS: front.certFile };
  await w.enroll(token, '0 3 1 1 *', 10, { url: front.url, env: trust });
  const night = await w.cli(['agent', '--once'], w.agentEnv(trust));
  assert.equal(night.code, 0, night.stderr);
  await until('the run came through https', async () => (await w.agentRuns()).some((r) => r.status === 'success'), 30_000);
});
