import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { isAppError } from '../../src/errors.ts';
import { LOCAL_PG_URL, requireLocalPg } from '../helpers/local-pg.ts';
import { restoreTargetContract } from './restore-target-contract.ts';

const skip = await requireLocalPg();

restoreTargetContract('external', async () => new ExternalPostgres({ url: LOCAL_PG_URL }), skip);

test('an unreachable server names host and port but never the password', async () => {
  const target = new ExternalPostgres({ url: 'postgres://tokobot:s3cret-pw@127.0.0.1:1/postgres' });
  await assert.rejects(target.ensure(), (err) => isAppError(err) && err.code === 'restore-server'
    && err.message.includes('127.0.0.1:1') && !err.message.includes('s3cret-pw'));
});

test('a missing pg_restore says which package provides it', async () => {
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, pgRestore: '/nonexistent/pg_restore' });
  await assert.rejects(target.pgRestoreMajor(), (err) => isAppError(err) && /apt-get install postgresql-client/.test(err.message));
});
