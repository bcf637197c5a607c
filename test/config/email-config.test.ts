import { after, test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';

const BASE = { SOURCE: 'folder', SOURCE_DIR: '/srv/backups', RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres' };
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-email-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function problems(env: Record<string, string>, lang = 'en'): string[] {
  return configProblems({ ...BASE, TOKOBOT_LANG: lang, ...env });
}

test('SMTP_URL: smtp:// is STARTTLS on 587 (required), smtps:// is TLS on 465; the user and password from the URL, the password not enumerable', () => {
  const c = loadConfig({ ...BASE, SMTP_URL: 'smtp://alerts%40toko.co.id:p%40ss%3Aword@mail.toko.co.id', SMTP_FROM: 'tokobot@toko.co.id', EMAIL_ALERT_TO: 'pemilik@toko.co.id, admin@toko.co.id' });
  assert.deepEqual({ ...c.email }, { host: 'mail.toko.co.id', port: 587, secure: false, requireTLS: true, user: 'alerts@toko.co.id', from: 'tokobot@toko.co.id' });
  assert.equal(c.email?.password, 'p@ss:word');
  assert.ok(!JSON.stringify(c).includes('p@ss'), 'the password shows when the config is printed');
  assert.deepEqual(c.alerts.recipients.map((r) => [r.name, r.email, r.lang]), [['pemilik@toko.co.id', 'pemilik@toko.co.id', 'id'], ['admin@toko.co.id', 'admin@toko.co.id', 'id']]);
  const tls = loadConfig({ ...BASE, SMTP_URL: 'smtps://u:p@mail.toko.co.id', SMTP_FROM: 'tokobot@toko.co.id' });
  assert.deepEqual([tls.email?.port, tls.email?.secure, tls.email?.requireTLS], [465, true, false]);
});

test('SMTP_HOST and the rest: port 587 by default with STARTTLS required; port 25 without; no SMTP setting, no e-mail channel', () => {
  const c = loadConfig({ ...BASE, SMTP_HOST: 'mail.toko.co.id', SMTP_USER: 'u', SMTP_PASSWORD: 'rahasia', SMTP_FROM: 'tokobot <tokobot@toko.co.id>' });
  assert.deepEqual([c.email?.host, c.email?.port, c.email?.requireTLS, c.email?.user, c.email?.password, c.email?.from], ['mail.toko.co.id', 587, true, 'u', 'rahasia', 'tokobot <tokobot@toko.co.id>']);
  assert.equal(loadConfig({ ...BASE, SMTP_HOST: 'relay.lan', SMTP_PORT: '25', SMTP_FROM: 'tokobot@toko.co.id' }).email?.requireTLS, false);
  assert.equal(loadConfig(BASE).email, undefined);
});

test('wrong e-mail settings: one line each naming the variable, in English and Indonesian, no password quoted', () => {
  const lines = problems({ SMTP_URL: 'http://u:Rahasia123@mail', SMTP_FROM: 'tokobot', EMAIL_ALERT_TO: 'pemilik@toko.co.id,bukan-alamat' });
  assert.ok(lines.some((l) => l.startsWith('SMTP_URL:') && l.includes('smtp://')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('SMTP_FROM:') && l.includes('e-mail address')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('EMAIL_ALERT_TO:') && l.includes('separated by commas')), lines.join('\n'));
  assert.ok(!lines.join('\n').includes('Rahasia123'));
  assert.deepEqual(problems({ EMAIL_ALERT_TO: 'pemilik@toko.co.id' }), ['EMAIL_ALERT_TO: there are e-mail alert recipients but no SMTP server: set SMTP_URL (or SMTP_HOST) and SMTP_FROM']);
  assert.deepEqual(problems({ SMTP_HOST: 'mail.toko.co.id' }, 'id'), ['SMTP_FROM: isi alamat pengirim e-mail, mis. SMTP_FROM=tokobot@toko.co.id']);
  assert.ok(problems({ SMTP_URL: 'smtp://mail', SMTP_HOST: 'mail', SMTP_FROM: 'a@b.co' }).some((l) => l.startsWith('SMTP_URL, SMTP_HOST:')));
});

test('the config file: a recipient with only an e-mail address, in English; a wrong address is named', () => {
  const good = path.join(dir, 'good.yaml');
  writeFileSync(good, 'alerts:\n  recipients:\n    - name: Pak Budi\n      email: budi@toko.co.id\n      lang: en\n      severities: [critical]\n');
  const c = loadConfig({ ...BASE, TOKOBOT_CONFIG: good, SMTP_HOST: 'mail.toko.co.id', SMTP_FROM: 'tokobot@toko.co.id', EMAIL_ALERT_TO: 'BUDI@toko.co.id' });
  assert.deepEqual(c.alerts.recipients, [{ name: 'Pak Budi', email: 'budi@toko.co.id', lang: 'en', severities: ['critical'] }]);
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'alerts:\n  recipients:\n    - name: Pak Budi\n      email: budi-at-toko\n');
  const lines = problems({ TOKOBOT_CONFIG: bad, SMTP_HOST: 'mail.toko.co.id', SMTP_FROM: 'tokobot@toko.co.id' });
  assert.ok(lines.some((l) => l.includes('email') && l.includes('e-mail address')), lines.join('\n'));
});
