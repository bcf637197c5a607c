import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { EmailMessenger, type SmtpSettings } from '../../src/adapters/email/email-messenger.ts';
import { renderEmail } from '../../src/bot/email/render-email.ts';
import { describeError, isAppError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import type { Env } from '../../src/config/env-schema.ts';
import { emailSection } from '../../src/config/sections.ts';
import { AlertEngine } from '../../src/pipeline/alerts/alert-engine.ts';
import { AlertLoop } from '../../src/pipeline/alerts/alert-loop.ts';
import { AlertOutbox } from '../../src/pipeline/alerts/alert-outbox.ts';
import type { Recipient } from '../../src/pipeline/alerts/alert-types.ts';
import { memoryAlertStores } from '../fakes/memory-alert-stores.ts';
import { SMTP_PASSWORD, SMTP_USER, SmtpTestServer } from '../helpers/smtp-test-server.ts';
import { messengerContract, type Received } from './messenger-contract.ts';

const settings = (port: number, password = SMTP_PASSWORD): SmtpSettings =>
  ({ host: '127.0.0.1', port, secure: false, requireTLS: false, user: SMTP_USER, password, from: 'tokobot <tokobot@toko.test>' });
const messenger = (port: number, password?: string, langOf?: (to: string) => 'id' | 'en') =>
  new EmailMessenger({ smtp: settings(port, password), langOf, timeouts: { connectMs: 2_000, socketMs: 5_000 } });

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** What arrived, as the contract reads it: the HTML part as given, the plain-text part as seen, the heading as the bold run. */
function asReceived(mail: { html?: string | false; text?: string }): Received {
  const raw = typeof mail.html === 'string' ? mail.html : '';
  return { raw, text: (mail.text ?? '').trimEnd(), bold: [...raw.matchAll(/<h2[^>]*>(?:❗ |⚠️ )?([^<]*)<\/h2>/g)].map((m) => unescape(m[1]!)) };
}

messengerContract('E-mail', async () => {
  const smtp = await SmtpTestServer.start();
  smtp.refused.add('tidak-ada@toko.test');
  const m = messenger(smtp.port);
  return {
    messenger: m, recipient: 'pemilik@toko.test', other: 'admin@toko.test', refused: 'tidak-ada@toko.test',
    received: (to) => smtp.received(to).map(asReceived),
    down: () => smtp.down(),
    up: () => smtp.up(),
    close: async () => { m.close(); await smtp.close(); },
  };
}, (msg) => renderEmail(msg, 'id').html);

let smtp: SmtpTestServer;
before(async () => { smtp = await SmtpTestServer.start(); });
after(() => smtp.close());

const OWNER: Recipient = { name: 'Bu Sari', email: 'sari@toko.test', lang: 'id', severities: ['warning', 'critical'] };
const TECH: Recipient = { name: 'Tech', email: 'tech@toko.test', lang: 'en', severities: ['warning', 'critical'] };
const ALERT = { key: 'sync:pusat', kind: 'sync-failed' as const, severity: 'critical' as const, subject: 'Toko Pusat', params: { stage: 'restore', error: 'disk full' } };

function setup(recipients: Recipient[], port = smtp.port, password?: string, logger?: { warn: (obj: object, msg: string) => void }) {
  let now = new Date('2026-11-30T01:00:00Z');
  const clock = () => now;
  const stores = memoryAlertStores();
  const langs = new Map(recipients.map((r) => [r.email!, r.lang]));
  const email = messenger(port, password, (to) => langs.get(to) ?? 'id');
  const engine = new AlertEngine({ store: stores.alerts, recipients, remindMs: 6 * 3_600_000, zone: 'Asia/Jakarta', clock });
  const outbox = new AlertOutbox({ store: stores.outbox, recipients, messengers: { email }, clock, baseDelayMs: 60_000, maxDelayMs: 600_000, logger });
  return {
    engine, outbox, email, rows: () => stores.outbox.rows,
    later: (ms: number) => { now = new Date(now.getTime() + ms); },
    tell: async () => { await engine.flush(); return outbox.deliver(); },
  };
}

test('an alert and its resolution arrive by e-mail, HTML with a text part, each recipient in their language', async () => {
  const s = setup([OWNER, TECH]);
  try {
    await s.engine.raise(ALERT);
    assert.deepEqual(await s.tell(), { delivered: 2, waiting: 0 });
    await s.engine.clear(ALERT.key);
    s.later(60_000);
    assert.deepEqual(await s.tell(), { delivered: 2, waiting: 0 });
    const [open, resolved] = smtp.received(OWNER.email!);
    assert.equal(open?.subject, '[PENTING] tokobot: Sync Toko Pusat gagal');
    assert.match(open?.text ?? '', /Tahap restore: disk full/);
    assert.match(String(open?.html), /<h2[^>]*>❗ Sync Toko Pusat gagal<\/h2>/);
    assert.match(String(open?.html), /Tahap restore: disk full/);
    assert.equal(resolved?.subject, '[Info] tokobot: ✅ Pulih: sync Toko Pusat berhasil lagi');
    assert.match(resolved?.text ?? '', /Masalah berlangsung dari/);
    const [openEn, resolvedEn] = smtp.received(TECH.email!);
    assert.equal(openEn?.subject, '[CRITICAL] tokobot: Sync of Toko Pusat failed');
    assert.match(openEn?.text ?? '', /Stage restore: disk full/);
    assert.equal(resolvedEn?.subject, '[Info] tokobot: ✅ Recovered: sync of Toko Pusat works again');
    assert.equal(open?.from?.value[0]?.address, 'tokobot@toko.test');
    assert.ok(s.rows().every((r) => r.deliveredAt && r.channel === 'email'));
  } finally {
    s.email.close();
  }
});

test('a recipient the server refuses (550 at RCPT TO): given up with the reason recorded, not retried; the others get theirs', async () => {
  const gone: Recipient = { ...OWNER, name: 'Gone', email: 'pindah@toko.test' };
  smtp.refused.add(gone.email!);
  const other: Recipient = { ...TECH, email: 'other@toko.test' };
  const warnings: object[] = [];
  const s = setup([gone, other], smtp.port, undefined, { warn: (obj) => { warnings.push(obj); } });
  try {
    await s.engine.raise(ALERT);
    assert.deepEqual(await s.tell(), { delivered: 1, waiting: 1 });
    const row = s.rows().find((r) => r.recipient === gone.email)!;
    assert.ok(row.gaveUpAt, 'the refused row is given up');
    assert.match(row.lastError ?? '', /refused the e-mail for pindah@toko\.test \(550 .*mailbox unavailable\)/);
    assert.deepEqual(warnings, [{ channel: 'email', to: gone.email, error: row.lastError }]);
    const before = smtp.connections;
    s.later(24 * 3_600_000);
    assert.deepEqual(await s.outbox.deliver(), { delivered: 0, waiting: 0 });
    assert.equal(smtp.connections, before, 'no further attempt');
    assert.equal(smtp.received(other.email!).length, 1);
    assert.equal(s.email.state().since, undefined, 'one address refused for good is no outage of the server');
  } finally {
    s.email.close();
  }
});

test('the SMTP server down: the alert waits with backoff, and is delivered once when the server is back', async () => {
  const late = await SmtpTestServer.start();
  const s = setup([TECH], late.port);
  try {
    await late.down();
    await s.engine.raise(ALERT);
    assert.deepEqual(await s.tell(), { delivered: 0, waiting: 1 });
    const row = s.rows()[0]!;
    assert.match(row.lastError ?? '', /cannot be reached \(E[A-Z]+ ECONNREFUSED\)/);
    const failing = s.email.state();
    assert.deepEqual([failing.ready, failing.code], [true, 'sendFailed'], 'still tried by the outbox');
    assert.ok(failing.since, 'since when the sends fail: what the e-mail outage alert goes by');
    s.later(30_000); // before the first backoff (60 s) is over: not tried
    assert.deepEqual(await s.outbox.deliver(), { delivered: 0, waiting: 0 });
    s.later(31_000);
    assert.deepEqual(await s.outbox.deliver(), { delivered: 0, waiting: 1 }); // second try, still down: 120 s now
    s.later(100_000);
    assert.deepEqual(await s.outbox.deliver(), { delivered: 0, waiting: 0 });
    await late.up();
    s.later(21_000);
    assert.deepEqual(await s.outbox.deliver(), { delivered: 1, waiting: 0 });
    s.later(3_600_000);
    assert.deepEqual(await s.outbox.deliver(), { delivered: 0, waiting: 0 });
    assert.equal(late.received(TECH.email!).length, 1, 'delivered once');
    assert.deepEqual(s.email.state(), { ready: true, text: 'ready', code: 'ready' });
  } finally {
    s.email.close();
    await late.close();
  }
});

test('a wrong password: refused by the e-mail server, said clearly in both languages, the password nowhere in the error or the logs', async () => {
  const wrong = 'Salah-sandi-91b2e4';
  let logged = '';
  const logger = createLogger('debug', new Writable({ write(chunk, _enc, cb) { logged += String(chunk); cb(); } }));
  const s = setup([TECH], smtp.port, wrong, logger);
  try {
    const err = await s.email.send(TECH.email!, { severity: 'info', lines: ['Tes'] }).then(() => assert.fail('sent'), (e: unknown) => e);
    assert.ok(isAppError(err));
    assert.deepEqual([err.kind, err.system], ['refused', 'email']);
    assert.match(err.message, /refused tokobot's user name or password \(535 Authentication failed\): check SMTP_USER and SMTP_PASSWORD/);
    assert.match(err.messageId ?? '', /menolak nama pengguna atau kata sandi/);
    logger.warn({ err }, 'send failed');
    // Through the outbox and its loop, which log what failed: the row waits (the setting is fixed, then it goes).
    await s.engine.raise(ALERT);
    const loop = new AlertLoop(s.engine, s.outbox, 60_000, logger);
    await s.tell();
    await loop.stop();
    const row = s.rows()[0]!;
    assert.ok(!row.gaveUpAt && !row.deliveredAt);
    // The settings as loadConfig shapes them: the password is kept but not shown when the object is logged.
    const shaped = emailSection({ SMTP_URL: `smtp://${SMTP_USER}:${wrong}@127.0.0.1:${smtp.port}`, SMTP_FROM: 'tokobot@toko.test' } as Env)!;
    assert.equal(shaped.password, wrong);
    logger.warn({ error: row.lastError, smtp: shaped }, 'delivery waits');
    await new Promise((r) => setImmediate(r));
    for (const text of [logged, describeError(err), JSON.stringify(err), row.lastError ?? '', err.stack ?? '']) {
      assert.ok(!text.includes(wrong), `the password shows in: ${text.slice(0, 300)}`);
    }
    assert.match(logged, /"channel":"email","error":"[^"]*user name or password[^"]*","msg":"alert message waits: the channel refuses tokobot's settings"/);
  } finally {
    s.email.close();
  }
});

test('STARTTLS required (port 587) and the server does not offer it: refused, nothing sent, the password not sent in the clear', async () => {
  const m = new EmailMessenger({ smtp: { ...settings(smtp.port), requireTLS: true }, timeouts: { connectMs: 2_000, socketMs: 5_000 } });
  const logins = smtp.logins;
  try {
    const err = await m.send('tls@toko.test', { severity: 'info', lines: ['Tes'] }).then(() => assert.fail('sent'), (e: unknown) => e);
    assert.ok(isAppError(err));
    assert.deepEqual([err.kind, err.system], ['refused', 'email']);
    assert.match(err.message, /does not offer STARTTLS \(500 .*\), which tokobot requires on port 587/);
    assert.match(err.messageId ?? '', /tidak menyediakan STARTTLS/);
    assert.equal(smtp.received('tls@toko.test').length, 0);
    assert.equal(smtp.logins, logins, 'the password went out without TLS');
  } finally {
    m.close();
  }
});
