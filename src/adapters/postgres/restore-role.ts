import type pg from 'pg';
import { AppError } from '../../errors.ts';
import { quoteIdent as ident, quoteLiteral as literal } from './sql-text.ts';

/**
 * The role every restore and every query of a restored iPOS database runs as. An archive is
 * code: its functions, triggers and CHECK constraints run while it loads and whenever its
 * tables are read. As a superuser (or a member of the pg_*_server_* roles) that code can run
 * programs on the server (COPY ... TO PROGRAM) or read its files; as this role it can touch
 * only the databases it owns.
 */
export const RESTORE_ROLE = 'tokobot_restore';

export interface RestoreRole {
  name: string;
  password: string;
  /** Where the password is kept (DATA_DIR/...), for the message that asks an administrator to create the role. */
  keptIn?: string;
}

/** Built-in roles whose members run programs or read and write files on the server as its system user. */
const SERVER_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'];
/** Attributes the role must not have, as pg_roles names them and as ALTER ROLE turns them off. */
const ATTRIBUTES: [column: string, off: string][] = [
  ['rolsuper', 'NOSUPERUSER'], ['rolcreatedb', 'NOCREATEDB'], ['rolcreaterole', 'NOCREATEROLE'],
  ['rolreplication', 'NOREPLICATION'], ['rolbypassrls', 'NOBYPASSRLS'],
];
const SAFE = ATTRIBUTES.map(([, off]) => off).join(' ');


interface RoleState {
  /** What is wrong with it: attributes it has and roles it belongs to. */
  dangers: string[];
  /** ALTER ROLE options that take its attributes away (only those it has: PostgreSQL refuses even NOSUPERUSER from a non-superuser). */
  fix: string[];
  memberOf: string[];
}

async function roleState(c: pg.ClientBase, name: string): Promise<RoleState | null> {
  const { rows } = await c.query(`SELECT ${ATTRIBUTES.map(([col]) => `r.${col}`).join(', ')},
      ARRAY(SELECT g.rolname::text FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) AS member_of
    FROM pg_catalog.pg_roles r WHERE r.rolname = $1`, [name]);
  const row = rows[0];
  if (!row) return null;
  const memberOf = row.member_of as string[];
  const fix = ATTRIBUTES.filter(([col]) => row[col]).map(([, off]) => off);
  const dangers = fix.map((off) => off.slice(2));
  // Any membership lets the role SET ROLE to something else; the three built-in ones are the worst.
  for (const g of memberOf) dangers.push(SERVER_ROLES.includes(g) ? `member of ${g} (runs programs or reads files on the server)` : `member of ${g}`);
  return { dangers, fix, memberOf };
}

async function admin(c: pg.ClientBase) {
  const { rows } = await c.query('SELECT current_user::text AS name, rolsuper AS super, rolcreaterole AS createrole FROM pg_catalog.pg_roles WHERE rolname = current_user');
  const me = rows[0] as { name: string; super: boolean; createrole: boolean };
  return { ...me, canManage: me.super || me.createrole };
}

function byHand(role: RestoreRole, adminName: string): string {
  const password = role.keptIn ? `'<the password in ${role.keptIn}>'` : "'<its password>'";
  return `Either let "${adminName}" create roles (as a superuser: ALTER ROLE ${ident(adminName)} CREATEROLE;), or create the role yourself as a superuser: ` +
    `CREATE ROLE ${ident(role.name)} LOGIN ${SAFE} PASSWORD ${password}; GRANT ${ident(role.name)} TO ${ident(adminName)};`;
}

/**
 * Makes sure the restore role exists, can log in with its password, and has no power beyond its
 * own databases: creates it, or corrects an existing one (attributes, memberships, per-role
 * settings). Idempotent. `c` is an administrator's connection. A role that cannot be made safe
 * is refused with a message that says what to run.
 */
export async function ensureRestoreRole(c: pg.ClientBase, role: RestoreRole): Promise<void> {
  // Two processes altering one role at once fail with "tuple concurrently updated": take turns.
  await c.query('SELECT pg_catalog.pg_advisory_lock(7303, pg_catalog.hashtext($1))', [role.name]);
  try {
    await makeSafe(c, role);
  } finally {
    await c.query('SELECT pg_catalog.pg_advisory_unlock(7303, pg_catalog.hashtext($1))', [role.name]);
  }
}

async function makeSafe(c: pg.ClientBase, role: RestoreRole): Promise<void> {
  const me = await admin(c);
  let state = await roleState(c, role.name);
  if (!state) {
    if (!me.canManage) {
      throw new AppError('refused', 'postgres', `tokobot restores backups as the unprivileged role "${role.name}", which does not exist, and the PG_URL user "${me.name}" may not create it. ${byHand(role, me.name)}`);
    }
    await c.query(`CREATE ROLE ${ident(role.name)} LOGIN ${SAFE} PASSWORD ${literal(role.password)}`).catch((err: { code?: string }) => {
      if (err.code !== '42710') throw err; // made meanwhile by another tokobot process: corrected below
    });
    state = await roleState(c, role.name) as RoleState;
  }
  if (me.canManage) {
    try {
      await c.query(`ALTER ROLE ${ident(role.name)} WITH LOGIN ${state.fix.join(' ')} PASSWORD ${literal(role.password)}`);
      // Per-role settings (ALTER ROLE ... SET) that an archive's code could have left for later sessions.
      await c.query(`ALTER ROLE ${ident(role.name)} RESET ALL`);
      for (const g of state.memberOf) await c.query(`REVOKE ${ident(g)} FROM ${ident(role.name)}`);
    } catch (err) {
      throw new AppError('refused', 'postgres', `The role "${role.name}" that tokobot restores backups as exists with rights it must not have ` +
        `(${state.dangers.join(', ') || 'unknown'}), and "${me.name}" cannot take them away (${(err as Error).message}). ` +
        `As a superuser, run: ALTER ROLE ${ident(role.name)} ${SAFE};${state.memberOf.map((g) => ` REVOKE ${ident(g)} FROM ${ident(role.name)};`).join('')}`, { cause: err });
    }
    const left = await roleState(c, role.name);
    if (left?.dangers.length) {
      throw new AppError('refused', 'postgres', `The role "${role.name}" still has ${left.dangers.join(', ')} after tokobot tried to remove them: ` +
        `a membership granted by another role must be revoked by it. As a superuser, run:${left.memberOf.map((g) => ` REVOKE ${ident(g)} FROM ${ident(role.name)} GRANTED BY ...;`).join('')}`);
    }
  } else if (state.dangers.length) {
    throw new AppError('refused', 'postgres', `The role "${role.name}" that tokobot restores backups as has rights it must not have (${state.dangers.join(', ')}), ` +
      `so a backup could run programs or read files on the server; tokobot refuses to use it. As a superuser, run: ALTER ROLE ${ident(role.name)} ${SAFE};` +
      state.memberOf.map((g) => ` REVOKE ${ident(g)} FROM ${ident(role.name)};`).join(''));
  }
  // The administrator creates the staging databases OWNER the role, which needs membership in it unless superuser.
  if (!me.super) {
    const member = (await c.query('SELECT pg_catalog.pg_has_role(current_user, $1, \'MEMBER\') AS m', [role.name])).rows[0].m as boolean;
    if (!member) {
      await c.query(`GRANT ${ident(role.name)} TO ${ident(me.name)}`).catch((err: Error) => {
        throw new AppError('refused', 'postgres', `"${me.name}" must be a member of the role "${role.name}" to create databases it owns, and cannot grant that to itself ` +
          `(${err.message}). As a superuser, run: GRANT ${ident(role.name)} TO ${ident(me.name)};`, { cause: err });
      });
    }
  }
}

/** For `tokobot doctor`: the restore role's state, changing nothing. Rejects when the next sync would refuse it. */
export async function describeRestoreRole(c: pg.ClientBase, role: RestoreRole): Promise<string> {
  const me = await admin(c);
  const state = await roleState(c, role.name);
  if (!state) {
    if (!me.canManage) throw new AppError('refused', 'postgres', `the restore role "${role.name}" does not exist and "${me.name}" may not create it. ${byHand(role, me.name)}`);
    return `restores run as "${role.name}" (created at the first sync)`;
  }
  if (!state.dangers.length) return `restores run as the unprivileged role "${role.name}"`;
  if (!me.canManage) {
    throw new AppError('refused', 'postgres', `the restore role "${role.name}" has rights it must not have (${state.dangers.join(', ')}); tokobot refuses it. ` +
      `As a superuser, run: ALTER ROLE ${ident(role.name)} ${SAFE};`);
  }
  return `restores run as "${role.name}", which has ${state.dangers.join(', ')}: tokobot takes that away at the next sync`;
}
