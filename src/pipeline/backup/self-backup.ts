import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Verification } from '../../store/backup-log.ts';
import { writeHashed } from './backup-files.ts';
import type { PostgresDumper } from './ports.ts';
import { checkSelfArchiveFile, OPS_DUMP_NAME, packSelfArchive, type SelfPart } from './self-archive.ts';
import { verifyPostgresByReading } from './verify-backup.ts';

/**
 * What a `tokobot` job backs up, as src/main gathers it: the files that exist now (the config
 * file, the .env, the key files in DATA_DIR) and the ops database's dumper. Not the WhatsApp
 * session (a browser profile of many MB, paired again with one QR scan), nor what tokobot makes
 * again by itself (downloads, exports, search indexes, logs).
 */
export interface SelfSource {
  readonly version: string;
  readonly host: string;
  files(): Promise<SelfPart[]>;
  ops: PostgresDumper;
}

/**
 * Writes the self-backup archive into `file` (0600): the ops database dumped beside it first
 * (tar needs each member's size up front), then packed with the files, manifest first.
 */
export async function makeSelfBackup(source: SelfSource, file: string, options: { signal: AbortSignal; now: Date; onBytes?: (n: number) => void }):
  Promise<{ bytes: number; sha256: string }> {
  const dump = `${file}.ops`;
  try {
    await writeHashed(dump, (into, stop) => source.ops.dump(into, { signal: stop }), { signal: options.signal });
    const parts: SelfPart[] = [...(await source.files()), { name: OPS_DUMP_NAME, role: 'ops-database', path: dump }];
    const about = { tokobotVersion: source.version, createdAt: options.now.toISOString(), host: source.host };
    return await writeHashed(file, (into, stop) => packSelfArchive(parts, about, into, stop), { signal: options.signal, onBytes: options.onBytes });
  } finally {
    await rm(dump, { force: true });
  }
}

/**
 * Reads the archive back as restore-self would: every member against its SHA-256 in the
 * manifest, and the ops database's pg_dump archive read whole by tokobot's own archive reader.
 * The members are unpacked into a folder beside the file (in the job's 0700 work folder) and removed.
 */
export async function verifySelfBackup(file: string): Promise<Verification> {
  const dir = await mkdtemp(`${file}.check-`);
  try {
    const manifest = await checkSelfArchiveFile(file, dir);
    const ops = await verifyPostgresByReading(path.join(dir, OPS_DUMP_NAME));
    const files = manifest.members.filter((m) => m.role !== 'ops-database').map((m) => m.name);
    return {
      ok: true, detail: `self-backup: ${files.length} files (${files.join(', ')}) and the ops database, each matching its SHA-256; ops database ${ops.detail}`,
      ...(ops.tables !== undefined ? { tables: ops.tables } : {}), ...(ops.rows !== undefined ? { rows: ops.rows } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
