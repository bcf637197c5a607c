import type { ArchiveInfo, TocEntry } from './archive-reader.ts';

/**
 * What `pg_restore --no-owner --no-privileges -d DB` does with each table of contents entry,
 * after pg_backup_archiver.c (RestoreArchive, _tocEntryRequired, _printTocEntry). Pure: no
 * database, so the decisions are testable on their own.
 */

export type Step =
  | { kind: 'statement'; entry: TocEntry; sql: string }
  | { kind: 'copy'; entry: TocEntry; sql: string }
  | { kind: 'blobs'; entry: TocEntry };

/** ACL entries are what --no-privileges leaves out (_tocEntryIsACL). */
const ACL_KINDS = new Set(['ACL', 'ACL LANGUAGE', 'DEFAULT ACL']);
/** Read as settings when the archive is opened, never run as entries. */
const SETTING_KINDS = new Set(['ENCODING', 'STDSTRINGS', 'SEARCHPATH']);
/** Restored only with --create. */
const DATABASE_KINDS = new Set(['DATABASE', 'DATABASE PROPERTIES']);

/** Why pg_restore would not run an entry, or null when it would. */
export function skipReason(e: TocEntry, publicExists: boolean): string | null {
  if (SETTING_KINDS.has(e.desc)) return 'session setting';
  if (ACL_KINDS.has(e.desc)) return 'privileges (--no-privileges)';
  if (DATABASE_KINDS.has(e.desc)) return 'database-level (--create only)';
  // Comments and labels on the database itself come with --create only (pg_dump 11+ moved them there).
  if ((e.desc === 'COMMENT' || e.desc === 'SECURITY LABEL') && e.tag?.startsWith('DATABASE ')) return 'database-level (--create only)';
  // pg_dump before 11 wrote CREATE SCHEMA public, and pg_restore skipped it (and its comment,
  // which needs ownership) because initdb made the schema already.
  if (publicExists && e.desc === 'SCHEMA' && e.tag === 'public') return 'public schema exists';
  if (publicExists && e.desc === 'COMMENT' && e.tag === 'SCHEMA public') return 'public schema exists';
  return null;
}

/** pg_restore --no-owner rewrites CREATE SCHEMA so that old dumps' AUTHORIZATION clause goes. */
function definition(e: TocEntry): string {
  const defn = e.defn ?? '';
  if (e.desc === 'SCHEMA' && e.tag && !defn.startsWith('--')) return `CREATE SCHEMA ${quoteIdent(e.tag)};`;
  return defn;
}

const hasSql = (sql: string) => sql.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--'));

/** Entries pg_restore runs after the ACL pass: they may need privileges granted there (_tocEntryRestorePass). */
function runsLast(e: TocEntry): boolean {
  if (e.desc === 'MATERIALIZED VIEW DATA' || e.desc === 'EVENT TRIGGER') return true;
  return (e.desc === 'COMMENT' || e.desc === 'SECURITY LABEL') && (e.tag?.startsWith('EVENT TRIGGER ') ?? false);
}

/** The steps of a restore, in pg_restore's serial order: the table of contents order, with the post-ACL pass last. */
export function planRestore(entries: TocEntry[], publicExists: boolean): Step[] {
  const main: Step[] = [];
  const last: Step[] = [];
  for (const e of entries) {
    if (skipReason(e, publicExists)) continue;
    let step: Step | null = null;
    if (e.desc === 'TABLE DATA') {
      if (e.copyStmt && e.dataOffset !== null) step = { kind: 'copy', entry: e, sql: e.copyStmt };
    } else if (e.desc === 'BLOBS') {
      if (e.dataOffset !== null) step = { kind: 'blobs', entry: e };
    } else {
      const sql = definition(e);
      if (hasSql(sql)) step = { kind: 'statement', entry: e, sql };
    }
    if (step) (runsLast(e) ? last : main).push(step);
  }
  return [...main, ...last];
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface SessionSettings {
  /** The archive's client_encoding, used for COPY data (statements travel as UTF-8 through node-postgres). */
  encoding: string;
  /** Statements run once before the first entry, as _doSetFixedOutputState does. */
  statements: string[];
  /** False for archives from before the CVE-2018-1058 fix: then each entry runs with its own schema first in search_path. */
  fixedSearchPath: boolean;
}

/** The session state pg_restore sets up before any entry, for a server of `serverVersionNum`. */
export function sessionSettings(info: ArchiveInfo, serverVersionNum: number): SessionSettings {
  const find = (desc: string) => info.entries.find((e) => e.desc === desc)?.defn ?? null;
  const encoding = /'([^']+)'/.exec(find('ENCODING') ?? '')?.[1] ?? 'UTF8';
  const stdStrings = /'(on|off)'/i.exec(find('STDSTRINGS') ?? '')?.[1]?.toLowerCase() ?? 'on';
  const searchPath = find('SEARCHPATH');
  const statements = ['SET statement_timeout = 0'];
  if (serverVersionNum >= 90300) statements.push('SET lock_timeout = 0');
  if (serverVersionNum >= 90600) statements.push('SET idle_in_transaction_session_timeout = 0');
  statements.push(`SET standard_conforming_strings = ${stdStrings}`);
  if (searchPath) statements.push(searchPath.trim().replace(/;$/, ''));
  statements.push('SET check_function_bodies = false', 'SET xmloption = content', 'SET client_min_messages = warning');
  if (serverVersionNum >= 90500) statements.push('SET row_security = off');
  return { encoding, statements, fixedSearchPath: searchPath !== null };
}

/** Undoes the session settings of a restore, for a caller who goes on using the connection. */
export function resetStatement(settings: SessionSettings): string {
  const names = settings.statements.map((sql) => /^SET (\w+)/.exec(sql)?.[1]).filter((n): n is string => n !== undefined);
  // Last: the one setting a server before 12 lacks, so that its error cannot stop the others.
  return [...names, 'search_path', 'client_encoding', 'default_table_access_method'].map((n) => `RESET ${n}`).join('; ');
}

/** `SET search_path` for an entry of an old archive, as _selectOutputSchema writes it. */
export function searchPathFor(namespace: string): string {
  return namespace === 'pg_catalog' ? 'SET search_path = pg_catalog' : `SET search_path = ${quoteIdent(namespace)}, pg_catalog`;
}
