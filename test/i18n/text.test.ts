import { test } from 'node:test';
import assert from 'node:assert/strict';
import { t } from '../../src/i18n/text.ts';
import { freshnessWord, runWord } from '../../src/i18n/status-words.ts';

test('one catalogue for every front end: the chat\'s sentences and the config\'s, with alternatives in the language', () => {
  assert.equal(t('id', 'storeSet', { store: 'Toko Pusat' }), 'Toko dipilih: Toko Pusat.');
  assert.equal(t('en', 'storeSet', { store: 'Toko Pusat' }), 'Store selected: Toko Pusat.');
  assert.equal(t('id', 'oneOf', { values: ['docker', 'external', 'embedded'] }), 'harus docker, external atau embedded');
  assert.equal(t('en', 'oneOf', { values: ['docker', 'external'] }), 'expected docker or external');
  assert.equal(t('en', 'storeSet'), 'Store selected: {store}.', 'a missing param stays visible');
  assert.equal(t('en', 'noMatch', { q: '{q} {store}' }), 'No item matches "{q} {store}".', 'a param is put in as it is, never read as a template');
});

test('statuses: Indonesian says what they mean, English keeps its words; an unknown one is shown as it is', () => {
  assert.deepEqual(['success', 'no-change', 'failed', 'running', 'pending'].map((s) => runWord(s, 'id')),
    ['berhasil', 'tidak ada backup baru', 'gagal', 'sedang berjalan', 'menunggu']);
  assert.deepEqual(['success', 'no-change', 'failed'].map((s) => runWord(s, 'en')), ['success', 'no-change', 'failed']);
  assert.equal(runWord('toString', 'id'), 'toString');
  assert.match(freshnessWord('CHECK', 'id'), /^PERLU DICEK: /);
  assert.equal(freshnessWord('RUNNING', 'id'), 'SEDANG SYNC');
  assert.equal(freshnessWord('ATTENTION', 'en'), 'ATTENTION');
});

test('each sentence takes the same {params} in both languages, in every catalogue', async () => {
  const catalogues = [
    (await import('../../src/i18n/chat-text.ts')).CHAT_TEXT, (await import('../../src/i18n/config-text.ts')).CONFIG_TEXT,
    (await import('../../src/i18n/cli-help-text.ts')).CLI_HELP_TEXT, (await import('../../src/i18n/cli-text.ts')).CLI_TEXT,
    (await import('../../src/i18n/doctor-text.ts')).DOCTOR_TEXT,
  ];
  const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const catalogue of catalogues) {
    for (const [key, text] of Object.entries(catalogue) as [string, { id: string; en: string }][]) {
      assert.deepEqual(params(text.id), params(text.en), key);
      assert.notEqual(text.id.trim(), '', key);
    }
  }
});
