import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, ERROR_KINDS, ERROR_SYSTEMS, errorFacts, parseErrorFacts } from '../src/errors.ts';
import { ownerMessage, ownerWhat } from '../src/owner-messages.ts';

test('every kind and system has a headline in both languages: whole sentences, names filled in, tokobot in lower case', () => {
  for (const kind of ERROR_KINDS) {
    for (const system of ERROR_SYSTEMS) {
      const id = ownerMessage({ kind, system }, 'id');
      const en = ownerMessage({ kind, system }, 'en');
      for (const text of [id, en]) {
        assert.doesNotMatch(text, /[{}]/, `${kind}/${system}: ${text}`);
        assert.match(text, /^([A-Z]|tokobot)[^]*[.?]$/, `${kind}/${system}: ${text}`);
      }
      assert.notEqual(id, en, `${kind}/${system} is not translated`);
    }
  }
});

test('what is wrong, for a line that goes on with the detail: the headline\'s first sentence, pointing nowhere', () => {
  for (const kind of ERROR_KINDS) {
    for (const system of ERROR_SYSTEMS) {
      for (const lang of ['id', 'en'] as const) {
        const what = ownerWhat({ kind, system }, lang);
        assert.ok(ownerMessage({ kind, system }, lang).startsWith(`${what}.`), `${kind}/${system}/${lang}: ${what}`);
        assert.doesNotMatch(what, /\.$|below|bawah|\. /, `${kind}/${system}/${lang}: ${what}`);
      }
    }
  }
  assert.equal(ownerWhat({ kind: 'corrupt', system: 'backup-file' }, 'id'), 'File backup rusak atau tidak lengkap, jadi tidak dipakai');
  assert.equal(ownerWhat({ kind: 'config', system: 'tokobot' }, 'en'), 'tokobot\'s settings are not right');
});

test('the system decides what to check: Dropbox and Telegram are the internet, PostgreSQL the server, WhatsApp the phone', () => {
  assert.match(ownerMessage({ kind: 'unreachable', system: 'dropbox' }, 'id'), /^Dropbox tidak bisa dihubungi.*koneksi internet/);
  assert.match(ownerMessage({ kind: 'unreachable', system: 'telegram' }, 'en'), /^Telegram cannot be reached.*internet connection/);
  assert.match(ownerMessage({ kind: 'unreachable', system: 'postgres' }, 'en'), /PostgreSQL server cannot be reached.*running/);
  assert.match(ownerMessage({ kind: 'unreachable', system: 'whatsapp' }, 'id'), /HP yang tertaut/);
  assert.match(ownerMessage({ kind: 'refused', system: 'mysql' }, 'en'), /^The MySQL\/MariaDB server refused/);
});

test('an error\'s facts are its kind and system; read back from storage only when both are known', () => {
  const err = new AppError('corrupt', 'backup-file', 'toko.i5bu is truncated', { retryable: true });
  assert.deepEqual(errorFacts(err), { kind: 'corrupt', system: 'backup-file' });
  assert.equal(errorFacts(new Error('x')), undefined);
  assert.deepEqual(parseErrorFacts('refused', 'dropbox'), { kind: 'refused', system: 'dropbox' });
  assert.equal(parseErrorFacts('source-unreachable', 'dropbox'), undefined);
  assert.equal(parseErrorFacts('refused', 'gopher'), undefined);
  assert.equal(parseErrorFacts(undefined, undefined), undefined);
});
