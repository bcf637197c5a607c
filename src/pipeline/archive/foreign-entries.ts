import path from 'node:path';
import { AppError, type Detail } from '../../errors.ts';
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
const STATEMENTS: [RegExp, Detail][] = [
  [/\bCOPY\b[^;]*?\b(?:TO|FROM)\s+PROGRAM\b/is, { en: 'runs a program on the server (COPY ... PROGRAM)', id: 'menjalankan program di server (COPY ... PROGRAM)' }],
  [/\b(?:CREATE|ALTER|DROP)\s+(?:ROLE|USER|GROUP)\b/i, { en: 'creates or changes database roles', id: 'membuat atau mengubah role database' }],
  [/\bALTER\s+SYSTEM\b/i, { en: "changes the server's configuration (ALTER SYSTEM)", id: 'mengubah konfigurasi server (ALTER SYSTEM)' }],
  [/\bSET\s+(?:(?:SESSION|LOCAL)\s+)?(?:ROLE|SESSION\s+AUTHORIZATION)\b/i, { en: 'switches to another role', id: 'berpindah ke role lain' }],
  [/\bLOAD\s+'/i, { en: 'loads a shared library', id: 'memuat shared library' }],
  [/\b(?:lo_import|lo_export|pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|pg_file_write)\s*\(/i, { en: "reads or writes the server's files", id: 'membaca atau menulis file server' }],
];

const name = (e: TocEntry) => `${e.desc} ${e.namespace && e.desc !== 'EXTENSION' ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;

/** Why an entry does not belong in an iPOS backup, or null. */
function foreignReason(e: TocEntry): Detail | null {
  if (e.desc === 'EXTENSION' && !EXTENSIONS.has(e.tag ?? '')) return { en: 'an extension (iPOS uses none but plpgsql)', id: 'sebuah extension (iPOS hanya memakai plpgsql)' };
  if (e.desc === 'PROCEDURAL LANGUAGE' && !EXTENSIONS.has(e.tag ?? '')) return { en: 'a procedural language other than plpgsql', id: 'bahasa prosedural selain plpgsql' };
  if (e.desc === 'EVENT TRIGGER') return { en: 'an event trigger (it would run on every later statement)', id: 'sebuah event trigger (akan berjalan pada setiap perintah berikutnya)' };
  // Entries pg_restore leaves out (privileges, database-level settings) never run: only the rest is read.
  if (skipReason(e, false)) return null;
  const sql = `${e.defn ?? ''}\n${e.copyStmt ?? ''}`;
  if (e.desc === 'FUNCTION' || e.desc === 'PROCEDURE' || e.desc === 'AGGREGATE') {
    const language = /\bLANGUAGE\s+"?([A-Za-z_][\w$]*)"?/i.exec(sql)?.[1]?.toLowerCase();
    if (language && !LANGUAGES.has(language)) return { en: `a function in language ${language} (iPOS uses plpgsql and sql only)`, id: `fungsi dalam bahasa ${language} (iPOS hanya memakai plpgsql dan sql)` };
  }
  for (const [pattern, why] of STATEMENTS) if (pattern.test(sql)) return { en: `SQL that ${why.en}`, id: `SQL yang ${why.id}` };
  return null;
}

/** Every entry of the archive that an iPOS backup never has, with the reason. */
export function foreignEntries(info: Pick<ArchiveInfo, 'entries'>): { entry: string; reason: string; reasonId: string }[] {
  return info.entries.flatMap((e) => {
    const reason = foreignReason(e);
    return reason ? [{ entry: name(e), reason: reason.en, reasonId: reason.id }] : [];
  });
}

/** Refuses an archive holding entries an iPOS backup never has, naming them. */
export function refuseForeignEntries(info: Pick<ArchiveInfo, 'entries' | 'file'>): void {
  const found = foreignEntries(info);
  if (!found.length) return;
  const listed = (id: boolean) => found.slice(0, 3).map((f) => `${f.entry}: ${id ? f.reasonId : f.reason}`).join('; ');
  const more = found.length - 3;
  const file = path.basename(info.file);
  throw new AppError('corrupt', 'backup-file', {
    en: `${file} is refused: it holds what an iPOS backup never has — ${listed(false)}${more > 0 ? ` (and ${more} more)` : ''}. ` +
      'Nothing was restored and the previous price list stays in use. Check who can write to the backup folder, and take a new backup in iPOS.',
    id: `${file} ditolak: isinya ada yang tidak pernah ada di backup iPOS — ${listed(true)}${more > 0 ? ` (dan ${more} lainnya)` : ''}. ` +
      'Tidak ada yang dipulihkan dan daftar harga lama tetap dipakai. Periksa siapa yang bisa menulis ke folder backup, lalu buat backup baru di iPOS.',
  });
}
