import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../errors.ts';
import { stamp } from '../sync/work-files.ts';
import { HashCounter } from './backup-files.ts';
import { decryptStream, looksEncrypted } from './encryption.ts';
import { OPS_DUMP_NAME, readSelfArchive, type SelfManifest, type SelfMember } from './self-archive.ts';
import { verifyPostgresByReading } from './verify-backup.ts';

/**
 * The ops database restore-self fills. tables(): how many tables it holds, null when there is no
 * such database. restore(): loads a pg_dump archive into it (created when missing); called only
 * when tables() said none.
 */
export interface OpsRestore {
  readonly description: string;
  tables(): Promise<number | null>;
  restore(file: string, signal?: AbortSignal): Promise<void>;
}

/** Where the files go: the current settings (a file not set there goes where the manifest says it was). */
export interface SelfPlaces {
  config?: string;
  env?: string;
  dataDir: string;
}

export type FileAction = 'written' | 'replaced' | 'same' | 'kept';

export interface RestoredFile {
  member: string;
  to: string;
  action: FileAction;
  /** Replaced (--force): where the file that was there now is. */
  before?: string;
}

export interface SelfRestoreResult {
  manifest: SelfManifest;
  files: RestoredFile[];
  /** restored, with what tokobot's archive reader counted; or refused/failed, with why (id + en). */
  database: { restored: true; tables?: number; rows?: number; into: string } | { restored: false; why: AppError };
}

const text = (en: string, id: string) => ({ en, id });

/** A file's bytes read through decryption into `dir`, checked whole (readSelfArchive); wrong passphrase and damage told apart where they can be. */
async function unpack(file: string, passphrase: string, dir: string): Promise<SelfManifest> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new AppError('usage', 'tokobot', text(`Cannot read ${file} (${err.code ?? err.message}).`, `${file} tidak bisa dibaca (${err.code ?? err.message}).`));
  });
  const head = Buffer.alloc(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  if (!looksEncrypted(head)) {
    throw new AppError('corrupt', 'backup-file', text(
      `${path.basename(file)} is not a tokobot self-backup: restore-self takes the encrypted file of a job of type tokobot (its name ends .tokobot.tar.enc).`,
      `${path.basename(file)} bukan backup pengaturan tokobot: restore-self menerima file terenkripsi dari job bertipe tokobot (namanya berakhiran .tokobot.tar.enc).`));
  }
  const plain = new HashCounter();
  const raw = createReadStream(file);
  const decrypted = raw.pipe(decryptStream(passphrase));
  raw.on('error', (err) => decrypted.destroy(err));
  decrypted.on('error', (err) => plain.destroy(err));
  decrypted.pipe(plain);
  try {
    return await readSelfArchive(plain, dir);
  } catch (err) {
    // AES-GCM cannot tell a wrong key from a changed first chunk: nothing opened at all is most likely the passphrase.
    if (isAppError(err) && err.kind === 'corrupt' && err.system === 'backup-file' && plain.bytes === 0 && /cannot be opened/.test(err.message)) {
      throw new AppError('refused', 'backup-file', text(
        'The passphrase does not open this self-backup (or its first bytes are damaged); nothing was restored. Give the passphrase of the tokobot job that made it (TOKOBOT_RESTORE_PASSPHRASE).',
        'Passphrase ini tidak bisa membuka backup pengaturan ini (atau byte awalnya rusak); tidak ada yang dipulihkan. Berikan passphrase job tokobot yang membuatnya (TOKOBOT_RESTORE_PASSPHRASE).'));
    }
    if (isAppError(err) && err.kind === 'corrupt' && !err.messageId) {
      throw new AppError('corrupt', 'backup-file', text(`The self-backup is damaged: ${err.message}`, `Backup pengaturan ini rusak: ${err.message}`));
    }
    throw err;
  }
}

/** Where a member goes: the current setting, else where it was when the backup was made. */
function placeOf(member: SelfMember, places: SelfPlaces): string | undefined {
  if (member.role === 'config') return places.config ?? member.from;
  if (member.role === 'env') return places.env ?? member.from;
  return path.join(places.dataDir, path.basename(member.name));
}

async function sameBytes(a: string, b: string): Promise<boolean | null> {
  const there = await readFile(b).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (there === null) return null;
  return there.equals(await readFile(a));
}

/**
 * What happens to each file: written where none is; left alone where the same bytes are; a
 * DATA_DIR password that differs is kept (the server here was set up with it: replacing it would
 * lock tokobot out); a config or .env that differs is replaced only with `force`, the old one kept
 * beside it. Without force, any such file refuses the whole restore before anything is written.
 */
async function planFiles(manifest: SelfManifest, dir: string, places: SelfPlaces, force: boolean): Promise<RestoredFile[]> {
  const plan: RestoredFile[] = [];
  const conflicts: string[] = [];
  for (const member of manifest.members.filter((m) => m.role !== 'ops-database')) {
    const to = placeOf(member, places);
    if (!to) continue;
    const same = await sameBytes(path.join(dir, member.name), to);
    if (same === null) plan.push({ member: member.name, to, action: 'written' });
    else if (same) plan.push({ member: member.name, to, action: 'same' });
    else if (member.role === 'data') plan.push({ member: member.name, to, action: 'kept' });
    else if (force) plan.push({ member: member.name, to, action: 'replaced', before: `${to}.before-restore-${stamp(new Date())}` });
    else conflicts.push(to);
  }
  if (conflicts.length) {
    throw new AppError('refused', 'tokobot', text(
      `restore-self does not write over ${conflicts.join(', ')} (different from the backup's); nothing was restored. Move them away, or run it again with --force (the files there are kept beside them as .before-restore-…).`,
      `restore-self tidak menimpa ${conflicts.join(', ')} (berbeda dari isi backup); tidak ada yang dipulihkan. Pindahkan file itu, atau jalankan lagi dengan --force (file yang ada disimpan di sebelahnya sebagai .before-restore-…).`));
  }
  return plan;
}

async function writeFiles(plan: RestoredFile[], dir: string, manifest: SelfManifest): Promise<void> {
  for (const f of plan) {
    if (f.action !== 'written' && f.action !== 'replaced') continue;
    const role = manifest.members.find((m) => m.name === f.member)?.role;
    await mkdir(path.dirname(f.to), { recursive: true, mode: 0o700 });
    const temporary = `${f.to}.restoring`;
    try {
      await copyFile(path.join(dir, f.member), temporary);
      // Every file here holds secrets but the config file, which keeps the usual mode of a settings file.
      await chmod(temporary, role === 'config' ? 0o640 : 0o600);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
    if (f.before) await rename(f.to, f.before);
    await rename(temporary, f.to);
  }
}

async function restoreDatabase(openOps: () => Promise<OpsRestore>, dump: string, signal?: AbortSignal): Promise<SelfRestoreResult['database']> {
  try {
    const ops = await openOps();
    const tables = await ops.tables();
    if (tables) {
      return { restored: false, why: new AppError('refused', 'tokobot', text(
        `The ops database (${ops.description}) already holds ${tables} tables: restore-self never writes over them. Stop tokobot, rename that database (psql -c 'ALTER DATABASE name RENAME TO name_old') or set OPS_DATABASE to a new name, and run restore-self again.`,
        `Database ops (${ops.description}) sudah berisi ${tables} tabel: restore-self tidak pernah menimpanya. Hentikan tokobot, ganti nama database itu (psql -c 'ALTER DATABASE nama RENAME TO nama_lama') atau isi OPS_DATABASE dengan nama baru, lalu jalankan restore-self lagi.`)) };
    }
    await ops.restore(dump, signal);
    const read = await verifyPostgresByReading(dump);
    return { restored: true, into: ops.description, ...(read.tables !== undefined ? { tables: read.tables } : {}), ...(read.rows !== undefined ? { rows: read.rows } : {}) };
  } catch (err) {
    return { restored: false, why: isAppError(err) ? err : new AppError('refused', 'postgres', (err as Error).message, { cause: err }) };
  }
}

export interface RestoreSelfOptions {
  passphrase: string;
  places: SelfPlaces;
  force: boolean;
  /** A new folder for the unpacked members (0700), removed at the end. */
  workDir: string;
  /** The ops database, opened after the files are in place (the .env and passwords just restored may be what reaches it); absent: the database is not touched. */
  openOps?: () => Promise<OpsRestore>;
  /** Unpack only: every member (ops.dump too) into this folder, nothing else touched. */
  to?: string;
  signal?: AbortSignal;
}

/**
 * `tokobot restore-self`: decrypts and checks the whole file first (every member against the
 * manifest's SHA-256, the ops database's archive read whole), so a wrong passphrase or a damaged
 * file changes nothing; then writes the files (planFiles) and fills the ops database when it has
 * no tables. A refused database is in the result (the files are in place by then), never thrown.
 */
export async function restoreSelf(file: string, o: RestoreSelfOptions): Promise<SelfRestoreResult> {
  await mkdir(o.workDir, { recursive: false, mode: 0o700 });
  try {
    const manifest = await unpack(file, o.passphrase, o.workDir);
    const dump = path.join(o.workDir, OPS_DUMP_NAME);
    await verifyPostgresByReading(dump);
    if (o.to) return await unpackTo(manifest, o.workDir, o.to);
    const files = await planFiles(manifest, o.workDir, o.places, o.force);
    await writeFiles(files, o.workDir, manifest);
    const database: SelfRestoreResult['database'] = o.openOps ? await restoreDatabase(o.openOps, dump, o.signal)
      : { restored: false, why: new AppError('usage', 'tokobot', 'The ops database was not asked for.') };
    return { manifest, files, database };
  } finally {
    await rm(o.workDir, { recursive: true, force: true });
  }
}

/** --to DIR: the members as they are in the archive, in a folder that must be new or empty. */
async function unpackTo(manifest: SelfManifest, from: string, to: string): Promise<SelfRestoreResult> {
  if ((await readdir(to).catch(() => [])).length) {
    throw new AppError('usage', 'tokobot', text(`${to} is not empty: --to takes a new or empty folder.`, `${to} tidak kosong: --to menerima folder baru atau kosong.`));
  }
  await mkdir(to, { recursive: true, mode: 0o700 });
  const files: RestoredFile[] = [];
  for (const m of manifest.members) {
    const target = path.join(to, m.name);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await copyFile(path.join(from, m.name), target);
    files.push({ member: m.name, to: target, action: 'written' });
  }
  return { manifest, files, database: { restored: false, why: new AppError('usage', 'tokobot', text(
    `--to: the ops database was not touched; its dump is ${path.join(to, OPS_DUMP_NAME)} (pg_restore reads it).`,
    `--to: database ops tidak disentuh; dump-nya ${path.join(to, OPS_DUMP_NAME)} (dibaca pg_restore).`)) } };
}
