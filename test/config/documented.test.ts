import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { envSchema } from '../../src/config/env-schema.ts';

const root = new URL('../../', import.meta.url);
const keys = Object.keys(envSchema.shape);

test('.env.example lists every setting', () => {
  const example = readFileSync(new URL('.env.example', root), 'utf8');
  const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...keys].sort());
});

test("the README's configuration table matches the schema: names, defaults and descriptions", () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    const parsed = schema.safeParse(undefined);
    const def = parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : '';
    const row = `| \`${key}\` | ${def} | ${schema.description} |`;
    assert.ok(readme.includes(row), `README row missing or out of date:\n${row}`);
  }
});
