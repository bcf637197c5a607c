import path from 'node:path';
import { AppError } from '../../errors.ts';
import type { ArchiveInfo, TocEntry } from './archive-reader.ts';
import { skipReason } from './restore-plan.ts';

/**
 * Entries an iPOS backup never has, refused before anything is restored. A backup file is
 * whatever someone with write access to the store's folder put there, and every statement in it
 * runs on the restore server: a function can run a program (COPY ... TO PROGRAM), load a shared
 * library (LANGUAGE c) or reach for other roles. iPOS databases use plpgsql and SQL functions and
 * triggers, nothing else. The restore role stops what slips past this check (dynamic SQL builds
 * any text at run time); this check makes the common attempts fail early, with a clear message,
 * instead of halfway through a restore.
 */

/** Languages iPOS functions are written in; plpgsql ships with PostgreSQL and is trusted. */
const LANGUAGES = new Set(['plpgsql', 'sql']);
const EXTENSIONS = new Set(['plpgsql']);

/** Statements no entry of a dump needs, by what they do. */
const STATEMENTS: [RegExp, string][] = [
  [/\bCOPY\b[^;]*?\b(?:TO|FROM)\s+PROGRAM\b/is, 'runs a program on the server (COPY ... PROGRAM)'],
  [/\b(?:CREATE|ALTER|DROP)\s+(?:ROLE|USER|GROUP)\b/i, 'creates or changes database roles'],
  [/\bALTER\s+SYSTEM\b/i, "changes the server's configuration (ALTER SYSTEM)"],
  [/\bSET\s+(?:(?:SESSION|LOCAL)\s+)?(?:ROLE|SESSION\s+AUTHORIZATION)\b/i, 'switches to another role'],
  [/\bLOAD\s+'/i, 'loads a shared library'],
  [/\b(?:lo_import|lo_export|pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|pg_file_write)\s*\(/i, "reads or writes the server's files"],
];

const name = (e: TocEntry) => `${e.desc} ${e.namespace && e.desc !== 'EXTENSION' ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;

/** Why an entry does not belong in an iPOS backup, or null. */
function foreignReason(e: TocEntry): string | null {
  if (e.desc === 'EXTENSION' && !EXTENSIONS.has(e.tag ?? '')) return 'an extension (iPOS uses none but plpgsql)';
  if (e.desc === 'PROCEDURAL LANGUAGE' && !EXTENSIONS.has(e.tag ?? '')) return 'a procedural language other than plpgsql';
  if (e.desc === 'EVENT TRIGGER') return 'an event trigger (it would run on every later statement)';
  // Entries pg_restore leaves out (privileges, database-level settings) never run: only the rest is read.
  if (skipReason(e, false)) return null;
  const sql = `${e.defn ?? ''}\n${e.copyStmt ?? ''}`;
  if (e.desc === 'FUNCTION' || e.desc === 'PROCEDURE' || e.desc === 'AGGREGATE') {
    const language = /\bLANGUAGE\s+"?([A-Za-z_][\w$]*)"?/i.exec(sql)?.[1]?.toLowerCase();
    if (language && !LANGUAGES.has(language)) return `a function in language ${language} (iPOS uses plpgsql and sql only)`;
  }
  for (const [pattern, why] of STATEMENTS) if (pattern.test(sql)) return `SQL that ${why}`;
  return null;
}

/** Every entry of the archive that an iPOS backup never has, with the reason. */
export function foreignEntries(info: Pick<ArchiveInfo, 'entries'>): { entry: string; reason: string }[] {
  return info.entries.flatMap((e) => {
    const reason = foreignReason(e);
    return reason ? [{ entry: name(e), reason }] : [];
  });
}

/** Refuses an archive holding entries an iPOS backup never has, naming them. */
export function refuseForeignEntries(info: Pick<ArchiveInfo, 'entries' | 'file'>): void {
  const found = foreignEntries(info);
  if (!found.length) return;
  const listed = found.slice(0, 3).map((f) => `${f.entry}: ${f.reason}`).join('; ');
  const more = found.length > 3 ? ` (and ${found.length - 3} more)` : '';
  throw new AppError('corrupt', 'backup-file', `${path.basename(info.file)} is refused: it holds what an iPOS backup never has — ${listed}${more}. ` +
    'Nothing was restored and the previous price list stays in use. Check who can write to the backup folder, and take a new backup in iPOS.');
}
