import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { describeRestoreRole, ensureRestoreRole } from '../../src/adapters/postgres/restore-role.ts';
import { isAppError } from '../../src/errors.ts';
import { adminQuery, localConnection, requireLocalPg } from '../helpers/local-pg.ts';

/** The restore role against the machine's PostgreSQL, with roles of this run's own names (roles are server-wide). */
const skip = await requireLocalPg();
const role = { name: `tokobot_t_restore_${process.pid}`, password: 'role-test-pw', keptIn: '/data/pg-restore-password' };
const limited = `tokobot_t_limited_${process.pid}`;
const LIMITED_PW = 'limited-test-pw';

after(async () => {
  if (skip) return;
  for (const r of [role.name, limited]) await adminQuery(`DROP ROLE IF EXISTS ${r}`);
});

async function as<T>(user: string | null, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ ...localConnection('postgres'), ...(user ? { user, password: LIMITED_PW } : {}) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const rights = async () => (await adminQuery(`SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin,
    ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid) AS member_of
  FROM pg_roles r WHERE rolname = $1`, [role.name])).rows[0];

test('an existing role of that name with superuser rights and pg_execute_server_program is corrected', { skip }, async () => {
  await adminQuery(`DROP ROLE IF EXISTS ${role.name}`);
  await adminQuery(`CREATE ROLE ${role.name} SUPERUSER CREATEDB NOLOGIN`);
  await adminQuery(`GRANT pg_execute_server_program, pg_read_server_files TO ${role.name}`);
  await adminQuery(`ALTER ROLE ${role.name} SET search_path = evil`);
  assert.match(await as(null, (c) => describeRestoreRole(c, role)), /has SUPERUSER, CREATEDB, member of pg_execute_server_program .*takes that away at the next sync/);
  await as(null, (c) => ensureRestoreRole(c, role));
  await as(null, (c) => ensureRestoreRole(c, role)); // idempotent
  assert.deepEqual(await rights(), { rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true, member_of: [] });
  const settings = await adminQuery('SELECT count(*)::int AS n FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1', [role.name]);
  assert.equal(settings.rows[0].n, 0, 'per-role settings are reset');
  assert.match(await as(null, (c) => describeRestoreRole(c, role)), /^restores run as the unprivileged role/);
});

test('an administrator who may not create roles gets the grant or the SQL to run, never the password', { skip }, async () => {
  await adminQuery(`DROP ROLE IF EXISTS ${role.name}`);
  await adminQuery(`DROP ROLE IF EXISTS ${limited}`);
  await adminQuery(`CREATE ROLE ${limited} LOGIN CREATEDB PASSWORD '${LIMITED_PW}'`);
  const said = (err: unknown) => isAppError(err) && err.kind === 'refused' && err.system === 'postgres' && err.message.includes(`ALTER ROLE "${limited}" CREATEROLE`)
    && err.message.includes(`CREATE ROLE "${role.name}" LOGIN NOSUPERUSER`) && err.message.includes('/data/pg-restore-password')
    && !err.message.includes(role.password);
  await assert.rejects(as(limited, (c) => ensureRestoreRole(c, role)), said);
  await assert.rejects(as(limited, (c) => describeRestoreRole(c, role)), said);
  // Made by hand, but with a dangerous membership: refused, with the statement that fixes it.
  await adminQuery(`CREATE ROLE ${role.name} LOGIN PASSWORD '${role.password}'`);
  await adminQuery(`GRANT pg_write_server_files TO ${role.name}`);
  await assert.rejects(as(limited, (c) => ensureRestoreRole(c, role)), (err) => isAppError(err)
    && /member of pg_write_server_files .*tokobot refuses to use it/.test(err.message) && err.message.includes(`REVOKE "pg_write_server_files" FROM "${role.name}"`));
});

test('an administrator with CREATEROLE creates the role and may create databases it owns', { skip }, async () => {
  await adminQuery(`DROP ROLE IF EXISTS ${role.name}`);
  await adminQuery(`ALTER ROLE ${limited} CREATEROLE`);
  await as(limited, (c) => ensureRestoreRole(c, role));
  await as(limited, (c) => ensureRestoreRole(c, role));
  assert.deepEqual(await rights(), { rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true, member_of: [] });
  const db = `tokobot_t_role_owned_${process.pid}`;
  try {
    await as(limited, (c) => c.query(`CREATE DATABASE ${db} OWNER ${role.name}`));
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
  }
});
