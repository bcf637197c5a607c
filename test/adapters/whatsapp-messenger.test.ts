import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createWhatsAppClient } from '../../src/adapters/whatsapp/whatsapp-client.ts';
import { qrPng, WhatsAppMessenger, type WhatsAppMessengerOptions } from '../../src/adapters/whatsapp/whatsapp-messenger.ts';
import { needProgramFile } from '../helpers/needs.ts';
import { AppError } from '../../src/errors.ts';
import type { Message } from '../../src/message.ts';
import { renderWhatsApp } from '../../src/bot/whatsapp/render-whatsapp.ts';
import { FakeWhatsApp, readWhatsAppText, type FakeWhatsAppClient } from '../fakes/fake-whatsapp-client.ts';
import { messengerContract } from './messenger-contract.ts';

/** A plain message: WhatsApp shows it as the text itself. */
const say = (text: string): Message => ({ severity: 'info', lines: [text] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, done: () => boolean | Promise<boolean>, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

interface Logged { level: string; obj: Record<string, unknown>; msg: string }

function setup(over: Partial<WhatsAppMessengerOptions> = {}) {
  const wa = new FakeWhatsApp();
  const logs: Logged[] = [];
  const log = (level: string) => (obj: object, msg: string) => void logs.push({ level, obj: obj as Record<string, unknown>, msg });
  const drawn: string[] = [];
  const messenger = new WhatsAppMessenger({
    createClient: wa.createClient,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    now: () => new Date('2026-11-23T10:04:30Z'),
    backoff: { baseMs: 10, maxMs: 40 },
    terminal: { write: (s: string) => drawn.push(s) },
    ...over,
  });
  const delays = () => logs.filter((l) => l.msg === 'WhatsApp will reconnect').map((l) => l.obj.delayMs);
  return { wa, messenger, logs, drawn, delays };
}

async function linked(over: Partial<WhatsAppMessengerOptions> = {}) {
  const s = setup(over);
  await s.messenger.start();
  s.wa.latest.ready();
  return s;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

/** Over the fake client, linked: down is a disconnect while the network is gone, up the link made again. */
messengerContract('WhatsApp', async () => {
  const { wa, messenger } = await linked();
  wa.notOnWhatsApp.add('6289999999999');
  let gone: FakeWhatsAppClient | undefined;
  return {
    messenger, recipient: '6281234567890', other: '6281234567891', refused: '6289999999999',
    received: (to) => wa.clients.flatMap((c) => c.sent).filter((s) => s.chatId === `${to}@c.us`).map((s) => ({ raw: s.text, ...readWhatsAppText(s.text) })),
    down: () => { wa.offline = true; gone = wa.latest; gone.disconnect('NAVIGATION'); },
    up: async () => {
      wa.offline = false;
      await waitFor('a new link', () => wa.latest !== gone && wa.latest.initialized);
      wa.latest.ready();
    },
    close: () => messenger.stop(),
  };
}, renderWhatsApp);

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('state: starting → waiting for QR → linked → disconnected → a new client → linked', async () => {
  const { wa, messenger } = setup();
  const started = messenger.start();
  assert.deepEqual(messenger.state(), { ready: false, text: 'starting', code: 'starting' });
  await started;
  const first = wa.latest;
  assert.equal(first.initializeCalls, 1);

  first.qr();
  assert.deepEqual(messenger.state(), { ready: false, text: 'waiting for QR', code: 'qr' });
  first.ready();
  assert.deepEqual(messenger.state(), { ready: true, text: 'linked', code: 'linked' });

  first.disconnect('NAVIGATION');
  assert.deepEqual(messenger.state(), { ready: false, text: 'disconnected since 2026-11-23T10:04:00.000Z (NAVIGATION)', code: 'down', since: '2026-11-23T10:04:00.000Z', detail: 'NAVIGATION' });
  await waitFor('a second client', () => wa.clients.length === 2 && wa.latest.initializeCalls === 1);
  assert.ok(first.destroyCalls >= 1, 'the old client is destroyed before a new one is made');
  assert.notEqual(wa.latest, first);
  assert.equal(messenger.state().ready, false);

  wa.latest.ready();
  assert.deepEqual(messenger.state(), { ready: true, text: 'linked', code: 'linked' });
  first.disconnect('LOGOUT'); // a late event from the replaced client changes nothing
  assert.deepEqual(messenger.state(), { ready: true, text: 'linked', code: 'linked' });
  await messenger.stop();
  assert.deepEqual(messenger.state(), { ready: false, text: 'stopped', code: 'stopped' });
});

test('offline: start() does not throw; reconnects back off, are bounded, and reset once linked', async (t) => {
  let minute = 0;
  const { wa, messenger, delays } = setup({ now: () => new Date(Date.UTC(2026, 10, 23, 10, 4 + minute++)) });
  // Stopped whatever happens: a failed check would otherwise leave reconnects going and the file running.
  t.after(() => messenger.stop());
  wa.offline = true;
  await messenger.start();
  assert.deepEqual(messenger.state(), { ready: false, text: 'disconnected since 2026-11-23T10:04:00.000Z (net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/)',
    code: 'down', since: '2026-11-23T10:04:00.000Z', detail: 'net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/' });
  await waitFor('five attempts', () => wa.clients.length >= 5);
  assert.deepEqual(delays().slice(0, 4), [10, 20, 40, 40]);
  assert.match(messenger.state().text, /^disconnected since 2026-11-23T10:04:00.000Z/, 'the time of the first failure stays');
  await waitFor('failed clients closed', () => wa.clients.slice(0, 4).every((c) => c.destroyCalls >= 1));

  wa.offline = false;
  await waitFor('a client that gets through', () => wa.latest.initialized);
  wa.latest.ready();
  assert.equal(messenger.state().text, 'linked');
  const before = delays().length;
  wa.latest.disconnect('CONFLICT');
  assert.deepEqual(delays().slice(before), [10], 'the backoff starts again after a good link');
  assert.match(messenger.state().text, /\(CONFLICT\)$/);
  await messenger.stop();
});

test('stop() cancels a pending reconnect and leaves no timer behind', async () => {
  const idle = timers();
  const { wa, messenger, delays } = setup({ backoff: { baseMs: 60_000, maxMs: 60_000 } });
  wa.offline = true;
  await messenger.start();
  assert.deepEqual(delays(), [60_000]);
  assert.equal(timers(), idle + 1);
  await messenger.stop();
  assert.equal(timers(), idle, 'the reconnect timer is gone');
  await sleep(20);
  assert.equal(wa.clients.length, 1);
  assert.equal(wa.latest.destroyCalls >= 1, true);
});

test('send before the link: a clear, retryable AppError', async () => {
  const { wa, messenger } = setup();
  await messenger.start();
  let err = await rejection(messenger.send('6281234567890', say('halo')));
  assert.equal(err.retryable, true);
  assert.deepEqual([err.kind, err.system], ['unreachable', 'whatsapp']);
  assert.match(err.message, /WhatsApp is not linked\/connected \(starting\)/);
  wa.latest.qr();
  err = await rejection(messenger.send('6281234567890', say('halo')));
  assert.match(err.message, /waiting for QR/);
  assert.equal(wa.latest.sent.length, 0);
  await messenger.stop();
});

test('a number not on WhatsApp is refused for good', async () => {
  const { wa, messenger } = await linked();
  wa.notOnWhatsApp.add('6289999999999');
  const err = await rejection(messenger.send('6289999999999', say('halo')));
  assert.deepEqual([err.kind, err.system, err.retryable], ['refused', 'whatsapp', false]);
  assert.match(err.message, /^6289999999999 is not on WhatsApp/);
  wa.notOnWhatsApp.clear(); // not cached: they may join later
  await messenger.send('6289999999999', say('halo'));
  assert.equal(wa.latest.sent.length, 1);
  await messenger.stop();
});

test('a failed send is retryable and names the reason; resolved ids are cached', async () => {
  const { wa, messenger } = await linked();
  wa.sendFailures = 1;
  const err = await rejection(messenger.send('6281234567890', say('stok habis')));
  assert.equal(err.retryable, true);
  assert.match(err.message, /sending timed out/);
  await messenger.send('6281234567890', say('stok habis'));
  await messenger.send('6281234567890', say('lagi'));
  assert.deepEqual(wa.latest.lookups, ['6281234567890']);
  assert.deepEqual(wa.latest.sent.map((s) => s.text), ['stok habis', 'lagi']);
  await messenger.stop();
});

test('numbers are normalised to digits; local or odd numbers are refused', async () => {
  const { wa, messenger } = await linked();
  await messenger.send('+62 812-3456-7890', { severity: 'info', title: 'Backup gagal', lines: [] });
  assert.deepEqual(wa.latest.lookups, ['6281234567890']);
  assert.deepEqual(wa.latest.sent, [{ chatId: '6281234567890@c.us', text: '*Backup gagal*' }]);
  const local = await rejection(messenger.send('0812 3456 7890', say('x')));
  assert.equal(local.retryable, false);
  assert.match(local.message, /international form/);
  const odd = await rejection(messenger.send('toko@example.com', say('x')));
  assert.equal(odd.retryable, false);
  await messenger.stop();
});

test('QR: drawn for the terminal, given to onQr, and available as a PNG', async () => {
  const seen: string[] = [];
  const { wa, messenger, drawn } = setup({ onQr: (qr) => seen.push(qr) });
  await messenger.start();
  wa.latest.qr('2@tokobot-test-qr');
  assert.deepEqual(seen, ['2@tokobot-test-qr']);
  await waitFor('the terminal drawing', () => drawn.length === 1);
  assert.ok((drawn[0] ?? '').split('\n').length > 10, 'a QR drawing has many lines');
  const png = await qrPng('2@tokobot-test-qr');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await messenger.stop();
});

test('inbound chat: answers people, ignores groups, own and empty messages, survives a throwing handler', async () => {
  const { wa, messenger, logs } = await linked();
  const client = wa.latest;
  const asked: [string, string][] = [];
  messenger.onMessage(async (from, text) => {
    asked.push([from, text]);
    if (text === 'rusak') throw new Error('database down');
    return text === 'diam' ? null : `harga ${text}: Rp 15.000`;
  });
  client.message({ from: '120363025246125486@g.us', body: 'gula' });
  client.message({ from: '6281234567890@c.us', fromMe: true, body: 'gula' });
  client.message({ from: '6281234567890@c.us', body: '   ' });
  client.message({ from: 'status@broadcast', body: 'gula' });
  client.message({ from: '6281234567890@c.us', body: 'rusak' });
  client.message({ from: '6281234567890@c.us', body: 'diam' });
  client.message({ from: '6281234567890@c.us', body: 'gula' });
  await waitFor('the reply', () => client.sent.length === 1);
  assert.deepEqual(asked, [['6281234567890', 'rusak'], ['6281234567890', 'diam'], ['6281234567890', 'gula']]);
  assert.deepEqual(client.sent, [{ chatId: '6281234567890@c.us', text: 'harga gula: Rp 15.000' }]);
  const failure = logs.find((l) => l.level === 'error');
  assert.equal(failure?.obj.reason, 'database down');
  assert.equal(messenger.state().text, 'linked');
  await messenger.stop();
});

test('auth_failure: says the link was refused, then offers a new QR', async () => {
  const { wa, messenger } = setup();
  await messenger.start();
  wa.latest.authFailure('restore session failed');
  assert.deepEqual(messenger.state(), { ready: false, text: 'link refused: restore session failed — link again', code: 'linkRefused', detail: 'restore session failed' });
  await waitFor('a new client', () => wa.clients.length === 2);
  await waitFor('its initialize', () => wa.latest.initializeCalls === 1);
  wa.latest.qr();
  assert.equal(messenger.state().text, 'waiting for QR');
  await messenger.stop();
});

// The real whatsapp-web.js client and Chromium against this machine's offline network.
const chromiumPath = '/usr/bin/chromium';
const smoke = { timeout: 60_000, skip: needProgramFile(chromiumPath, 'Debian: apt-get install chromium') };

const chromiumOf = async (dataDir: string): Promise<string[]> => {
  try {
    const { stdout } = await promisify(execFile)('pgrep', ['-f', dataDir]);
    return stdout.split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

async function realMessenger() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tokobot-wa-'));
  const messenger = new WhatsAppMessenger({
    createClient: () => createWhatsAppClient({ dataDir, chromiumPath }),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    backoff: { baseMs: 60_000, maxMs: 60_000 },
  });
  return { dataDir, messenger };
}

test('real client, offline: reports the network failure instead of hanging; stop() leaves no Chromium', smoke, async () => {
  const { dataDir, messenger } = await realMessenger();
  try {
    void messenger.start();
    await waitFor('the failure state', () => messenger.state().text.startsWith('disconnected'), 30_000);
    assert.match(messenger.state().text, /^disconnected since \d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z \(.*ERR_NAME_NOT_RESOLVED/);
    assert.equal(messenger.state().ready, false);
    await messenger.stop();
    await waitFor('Chromium to exit', async () => (await chromiumOf(dataDir)).length === 0, 10_000);
  } finally {
    await messenger.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('real client: stop() while Chromium is still starting closes it', smoke, async () => {
  const { dataDir, messenger } = await realMessenger();
  try {
    const started = messenger.start();
    await waitFor('Chromium to start', async () => (await chromiumOf(dataDir)).length > 0, 15_000);
    await messenger.stop();
    await started;
    await waitFor('Chromium to exit', async () => (await chromiumOf(dataDir)).length === 0, 10_000);
    assert.equal(messenger.state().text, 'stopped');
  } finally {
    await messenger.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
