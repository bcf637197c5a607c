import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime } from '../../src/i18n/format-time.ts';

const at = new Date('2026-11-29T11:04:59Z');

test('a moment in the store\'s zone, to the minute, with the zone named as people name it', () => {
  assert.equal(formatTime(at, 'Asia/Jakarta', 'id'), '29 Nov 2026 18:04 WIB');
  assert.equal(formatTime(at, 'Asia/Jakarta', 'en'), '29 Nov 2026 18:04 WIB');
  assert.equal(formatTime(at, 'Asia/Pontianak', 'id'), '29 Nov 2026 18:04 WIB');
  assert.equal(formatTime(at, 'Asia/Makassar', 'id'), '29 Nov 2026 19:04 WITA');
  assert.equal(formatTime(at, 'Asia/Jayapura', 'id'), '29 Nov 2026 20:04 WIT');
  assert.equal(formatTime(at, 'UTC', 'en'), '29 Nov 2026 11:04 UTC');
});

test('the local date, not the UTC one; months in the reader\'s language', () => {
  assert.equal(formatTime(new Date('2026-12-31T17:30:00Z'), 'Asia/Jakarta', 'id'), '1 Jan 2027 00:30 WIB');
  assert.equal(formatTime(new Date('2026-05-31T20:00:00Z'), 'Asia/Jakarta', 'id'), '1 Jun 2026 03:00 WIB');
  const months = (lang: 'id' | 'en') => [4, 7, 9, 11].map((m) => formatTime(new Date(Date.UTC(2026, m, 10, 5)), 'Asia/Jakarta', lang).split(' ')[1]);
  assert.deepEqual(months('id'), ['Mei', 'Agu', 'Okt', 'Des']);
  assert.deepEqual(months('en'), ['May', 'Aug', 'Oct', 'Dec']);
});

test('other zones by their offset; a zone Node does not know shows UTC, named so', () => {
  assert.equal(formatTime(at, 'Asia/Singapore', 'en'), '29 Nov 2026 19:04 UTC+8');
  assert.equal(formatTime(at, 'Asia/Kolkata', 'en'), '29 Nov 2026 16:34 UTC+5:30');
  assert.equal(formatTime(at, 'America/St_Johns', 'en'), '29 Nov 2026 07:34 UTC-3:30');
  assert.equal(formatTime(at, 'Not/AZone', 'id'), '29 Nov 2026 11:04 UTC');
});
