import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RestoreTarget } from '../../src/pipeline/ports.ts';
import type { PostgresRestoreServer } from '../../src/adapters/postgres/postgres-restore-server.ts';
import { openOpsDatabase } from '../../src/store/postgres/ops-database.ts';
import { isAppError } from '../../src/errors.ts';
import { makeHostileArchive } from '../fixtures/hostile-archive.ts';

export interface MarkerPlace {
  /** Where `touch` would write: a path on the host, or inside the target's container. */
  marker: string;
  exists(): Promise<boolean>;
  remove(): Promise<void>;
}

/** A marker on this machine, in a folder the server's system user (postgres, when tokobot runs as root) may write to. */
export function hostMarker(): MarkerPlace {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-marker-'));
  chmodSync(dir, 0o777);
  const marker = path.join(dir, 'pwned');
  return { marker, exists: async () => existsSync(marker), remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What every restore target must do with a backup that carries code: restore it as a role that
 * cannot run programs, read files or reach the ops database, so that a CHECK constraint calling
 * COPY ... TO PROGRAM (built by dynamic SQL, so no text check sees it) fails the restore instead
 * of running a shell command on the server. Needs the local PostgreSQL to build the archive.
 */
export function hostileRestoreContract(name: string, make: () => Promise<RestoreTarget & PostgresRestoreServer>, place: () => MarkerPlace, skip?: string): void {
  describe(`${name} restore target, hostile backups`, { skip }, () => {
    const db = `tokobot_t_hostile_${name.replace(/\W/g, '_')}_${process.pid}`;
    const ops = `${db}_ops`;
    let dir = '';
    let target: RestoreTarget & PostgresRestoreServer;
    let where: MarkerPlace;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tokobot-hostile-'));
      target = await make();
      await target.ensure();
      where = place();
    });
    after(async () => {
      for (const d of [db, ops]) if (target) await target.dropDatabase(d).catch(() => undefined);
      await where?.remove().catch(() => undefined);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('restores run as a role that is no superuser, belongs to no role, and cannot reach the ops database', async () => {
      const role = String(target.restoreConnection('postgres').user);
      assert.notEqual(role, target.adminConnection('postgres').user);
      const admin = new pg.Client(target.adminConnection('postgres'));
      await admin.connect();
      try {
        const { rows } = await admin.query(`SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin,
            (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships,
            pg_has_role(r.oid, 'pg_execute_server_program', 'USAGE') OR pg_has_role(r.oid, 'pg_read_server_files', 'USAGE')
              OR pg_has_role(r.oid, 'pg_write_server_files', 'USAGE') AS server_rights
          FROM pg_roles r WHERE rolname = $1`, [role]);
        assert.deepEqual(rows[0], { rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false,
          rolcanlogin: true, memberships: 0, server_rights: false });
      } finally {
        await admin.end();
      }
      const pool = await openOpsDatabase((database) => target.opsConnection(database), ops);
      await pool.end();
      const intruder = new pg.Client(target.restoreConnection(ops));
      await assert.rejects(intruder.connect(), (err: { code?: string }) => err.code === '42501');
      await intruder.end().catch(() => undefined);
    });

    test('a CHECK constraint that would run a program during the restore fails the restore, and no program runs', { timeout: 120_000 }, async () => {
      const archive = await makeHostileArchive(dir, `${name.replace(/\W/g, '_')}_${process.pid}`, { marker: where.marker, variant: 'dynamic' });
      await target.dropDatabase(db);
      await target.createDatabase(db);
      await assert.rejects(target.restore(archive, db), (err) => isAppError(err) && err.kind === 'refused' && err.system === 'postgres'
        && /COPY to or from an external program/.test(err.message));
      assert.equal(await where.exists(), false, `the archive's shell command ran: ${where.marker} exists`);
    });
  });
}
