import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/**
 * The environment is read once, in src/config (and src/main, which starts everything); the rest
 * gets typed sections. Allowed besides: the crash-test hook, and libpq's own PGPASSWORD fallback
 * for the programs pg_dump runs (the environment handed on to child programs whole is fine).
 */
const allowed = new Set(['kill-point.ts', 'adapters/postgres/pg-dump.ts']);

test('no file below src/config and src/main reads a variable from process.env or the raw env', () => {
  const offenders: string[] = [];
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const rel = file.split(path.sep).join('/');
    if (rel.startsWith('config/') || rel.startsWith('main/') || allowed.has(rel)) continue;
    const text = readFileSync(path.join(src, file), 'utf8');
    for (const m of text.matchAll(/process\.env\.[A-Z_]+|process\.env\[|config\.env\b|\benv\.[A-Z][A-Z0-9_]+/g)) offenders.push(`${rel}: ${m[0]}`);
  }
  assert.deepEqual(offenders, []);
});
