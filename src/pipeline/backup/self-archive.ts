import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import tar from 'tar-stream';
import { AppError } from '../../errors.ts';
import { HashCounter } from './backup-files.ts';

/**
 * A tokobot self-backup (a `tokobot` job's file before encryption): a tar archive whose first
 * member is manifest.json, then every member the manifest lists, in its order:
 *
 *   manifest.json        format, tokobot's version, when, which host, each member's role, size and SHA-256
 *   config/<name>        the config file (TOKOBOT_CONFIG)
 *   env/.env             the .env the command line reads (the secrets: tokens, passwords, passphrases)
 *   data/<name>          key files tokobot keeps in DATA_DIR (pg-*-password)
 *   ops.dump             the ops database, pg_dump -Fc
 *
 * Every size is known before packing (tar needs it in each header), so the ops database is dumped
 * to a file first.
 */
export const SELF_FORMAT = 'tokobot-self-backup';
export const MANIFEST_NAME = 'manifest.json';
export const OPS_DUMP_NAME = 'ops.dump';

export type SelfRole = 'config' | 'env' | 'data' | 'ops-database';

/** Names never reach outside the folder they are unpacked into: one level, no `.` or `..`. */
const memberName = z.string().regex(/^(config\/(?!\.\.?$)[^/\\]{1,200}|env\/\.env|data\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}|ops\.dump)$/);

const manifestSchema = z.object({
  format: z.literal(SELF_FORMAT),
  formatVersion: z.literal(1),
  tokobotVersion: z.string(),
  createdAt: z.string(),
  host: z.string(),
  members: z.array(z.object({
    name: memberName,
    role: z.enum(['config', 'env', 'data', 'ops-database']),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Where the file was on the server that made the backup (config and env only). */
    from: z.string().refine((p) => path.isAbsolute(p)).optional(),
  }).strict()).max(50),
}).strict();

export type SelfManifest = z.infer<typeof manifestSchema>;
export type SelfMember = SelfManifest['members'][number];

/** A file to put in the archive under `name`. */
export interface SelfPart {
  name: string;
  role: SelfRole;
  path: string;
  from?: string;
}

async function describe(part: SelfPart): Promise<SelfMember> {
  const hash = new HashCounter();
  await pipeline(createReadStream(part.path), hash, async function* (source) { for await (const _ of source) { /* counted */ } });
  return { name: part.name, role: part.role, bytes: hash.bytes, sha256: hash.digest(), ...(part.from ? { from: part.from } : {}) };
}

/** Packs the parts, manifest first, into `out` (not ended); resolves with the manifest. */
export async function packSelfArchive(parts: SelfPart[], about: Omit<SelfManifest, 'format' | 'formatVersion' | 'members'>, out: Writable,
  signal?: AbortSignal): Promise<SelfManifest> {
  const members: SelfMember[] = [];
  for (const part of parts) members.push(await describe(part));
  const manifest: SelfManifest = { format: SELF_FORMAT, formatVersion: 1, ...about, members };
  const pack = tar.pack();
  const packed = pipeline(pack, out, { end: false, signal });
  const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  pack.entry({ name: MANIFEST_NAME, size: body.length, mode: 0o600 }, body);
  for (const [i, part] of parts.entries()) {
    const entry = pack.entry({ name: part.name, size: (members[i] as SelfMember).bytes, mode: 0o600 });
    // A file that changed since it was hashed is caught by verification (its SHA-256 no longer matches).
    await pipeline(createReadStream(part.path), entry, { signal });
  }
  pack.finalize();
  await packed;
  return manifest;
}

const notSelf = (why: string) => new AppError('corrupt', 'backup-file', {
  en: `This is not a tokobot self-backup (${why}): restore-self takes the files of a job of type tokobot (names ending .tokobot.tar.enc).`,
  id: `Ini bukan backup pengaturan tokobot (${why}): restore-self menerima file dari job bertipe tokobot (namanya berakhiran .tokobot.tar.enc).`,
});

const damaged = (why: string) => new AppError('corrupt', 'backup-file', {
  en: `The self-backup is damaged (${why}); nothing was restored from it. Take another copy of it (another destination, an older file).`,
  id: `Backup pengaturan ini rusak (${why}); tidak ada yang dipulihkan darinya. Ambil salinan lain (tujuan lain, file yang lebih lama).`,
});

function parseManifest(text: string): SelfManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw notSelf('its manifest is not JSON');
  }
  if ((raw as { format?: unknown })?.format !== SELF_FORMAT) throw notSelf('no tokobot manifest');
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw damaged(`its manifest does not read: ${parsed.error.issues[0]?.path.join('.') ?? '?'}`);
  return parsed.data;
}

const MANIFEST_MAX = 256 * 1024;

async function readAll(entry: AsyncIterable<unknown>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    size += (chunk as Buffer).length;
    if (size > max) throw notSelf('its manifest is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a self-backup's tar stream whole: the manifest first, then each member it lists (and no
 * other), each checked against its size and SHA-256; with `into`, each member is written there
 * (0600, under its name in the archive). Rejects with a corrupt AppError saying what is wrong.
 */
export async function readSelfArchive(input: Readable, into?: string): Promise<SelfManifest> {
  const extract = tar.extract();
  // A failing input (decryption refusing a chunk) must end the member being read too, not only the tar parser.
  const failed = new AbortController();
  input.on('error', (err) => { failed.abort(err); extract.destroy(err); });
  input.pipe(extract);
  let manifest: SelfManifest | undefined;
  const seen = new Set<string>();
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (!manifest) {
        if (name !== MANIFEST_NAME) throw notSelf(`it starts with ${JSON.stringify(name.slice(0, 80))}, not ${MANIFEST_NAME}`);
        manifest = parseManifest((await readAll(entry, MANIFEST_MAX)).toString('utf8'));
        continue;
      }
      const member = manifest.members.find((m) => m.name === name);
      if (!member || seen.has(name) || entry.header.type !== 'file') throw damaged(`it holds ${JSON.stringify(name.slice(0, 80))}, which its manifest does not list`);
      seen.add(name);
      const hash = new HashCounter();
      const sink = into ? await fileSink(into, name) : null;
      await pipeline(entry, hash, sink ?? (async function* (source) { for await (const _ of source) { /* checked */ } }), { signal: failed.signal });
      if (hash.bytes !== member.bytes || hash.digest() !== member.sha256) throw damaged(`${name} does not match its SHA-256 in the manifest`);
    }
  } catch (caught) {
    const err: unknown = failed.signal.aborted ? failed.signal.reason : caught;
    input.unpipe(extract);
    input.destroy();
    extract.destroy();
    if (err instanceof AppError) throw err;
    // A decryption failure reaches us through the input; tar's own errors mean a cut or changed file.
    if ((err as { kind?: unknown }).kind) throw err;
    throw manifest ? damaged((err as Error).message) : notSelf((err as Error).message);
  }
  if (!manifest) throw notSelf('it is empty');
  const missing = manifest.members.filter((m) => !seen.has(m.name)).map((m) => m.name);
  if (missing.length) throw damaged(`it ends before ${missing.join(', ')}`);
  return manifest;
}

async function fileSink(dir: string, name: string): Promise<Writable> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  return createWriteStream(file, { mode: 0o600, flags: 'wx' });
}

/** Reads a plain (decrypted) self-backup file through readSelfArchive. */
export async function checkSelfArchiveFile(file: string, into?: string): Promise<SelfManifest> {
  await stat(file);
  return readSelfArchive(createReadStream(file), into);
}
