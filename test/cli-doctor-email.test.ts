import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { doctor, type DoctorClients } from '../src/cli/doctor.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { doctorClients } from '../src/main/doctor-clients.ts';
import { SMTP_PASSWORD, SMTP_USER, SmtpTestServer } from './helpers/smtp-test-server.ts';

/** `tokobot doctor`'s e-mail check against a real SMTP server: it logs in (nodemailer's verify) and sends nothing. */
let smtp: SmtpTestServer;
before(async () => { smtp = await SmtpTestServer.start(); });
after(() => smtp.close());

// The other checks answer at once here: this file is about the SMTP one, which uses the real client.
const others: Omit<DoctorClients, 'smtp'> = {
  restoreServer: async () => 'ok', source: () => ({ list: async () => [], description: 'folder' }),
  telegramBot: async () => 'bot', jobDatabase: async () => ({ en: 'ok', id: 'ok' }), jobDestination: () => ({ list: async () => [] }),
};

async function emailFinding(password: string, lang: 'id' | 'en', port = smtp.port) {
  const env = { SOURCE: 'folder', SOURCE_DIR: '/srv/b', RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', TOKOBOT_LANG: lang,
    SMTP_URL: `smtp://${SMTP_USER}:${password}@127.0.0.1:${port}`, SMTP_FROM: 'tokobot@toko.test', EMAIL_ALERT_TO: 'pemilik@toko.test' };
  const findings = await doctor(lang, () => loadConfig(env), (config) => ({ ...others, smtp: doctorClients(config).smtp }));
  return findings.find((f) => f.what === 'E-mail (SMTP)');
}

test('doctor: the SMTP server accepts the login; nothing is sent', async () => {
  assert.deepEqual(await emailFinding(SMTP_PASSWORD, 'en'),
    { what: 'E-mail (SMTP)', level: 'ok', text: `the SMTP server 127.0.0.1:${smtp.port} accepts tokobot's login; sender tokobot@toko.test; 1 e-mail recipients` });
  assert.match((await emailFinding(SMTP_PASSWORD, 'id'))?.text ?? '', /menerima login tokobot; pengirim tokobot@toko\.test; 1 penerima e-mail/);
  assert.equal(smtp.inbox.size, 0);
});

test('doctor: a wrong password and a server that is not there, each said with what to check, in both languages, without the password', async () => {
  const wrong = await emailFinding('Sandi-keliru-55', 'en');
  assert.equal(wrong?.level, 'fail');
  assert.match(wrong?.text ?? '', /refused tokobot's user name or password \(535 Authentication failed\): check SMTP_USER and SMTP_PASSWORD/);
  const wrongId = await emailFinding('Sandi-keliru-55', 'id');
  assert.match(wrongId?.text ?? '', /menolak nama pengguna atau kata sandi tokobot/);
  assert.ok(![wrong?.text, wrongId?.text].join().includes('Sandi-keliru-55'));
  const down = await SmtpTestServer.start();
  await down.close();
  const gone = await emailFinding(SMTP_PASSWORD, 'en', down.port);
  assert.equal(gone?.level, 'fail');
  assert.match(gone?.text ?? '', /cannot be reached \(.*ECONNREFUSED\)/);
});
