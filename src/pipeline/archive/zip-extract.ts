import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError, type Detail } from '../../errors.ts';

export interface Extracted {
  path: string;
  entryName: string;
  /** Other .i5bu entries, older than the one used. */
  ignored: string[];
}

/**
 * What a zip may unpack to. A real .i5bu is itself compressed, so zipping it gains a few times
 * at most: an entry that unpacks to hundreds of times its packed size is a zip bomb.
 */
export interface ZipLimits {
  /** Ceiling on the unpacked backup, and whether the owner set it (ZIP_MAX_MB) or it is the free space. */
  maxBytes: number;
  maxBytesFrom: 'ZIP_MAX_MB' | 'free space';
  /** Largest unpacked : packed ratio of the entry (ZIP_MAX_RATIO). */
  maxRatio: number;
}

/** Entries this small are never refused for their ratio: a tiny file compresses well and can harm nothing. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Room kept free on the disk when the free space is the ceiling (the export and the logs need some). */
const SPACE_RESERVE_BYTES = 64 * 1024 * 1024;

/** The limits for unpacking into `dir`: ZIP_MAX_MB when set, else what is free there less a reserve. */
export function zipLimits(settings: { zipMaxBytes?: number; zipMaxRatio: number }, freeBytes: number): ZipLimits {
  return settings.zipMaxBytes
    ? { maxBytes: settings.zipMaxBytes, maxBytesFrom: 'ZIP_MAX_MB', maxRatio: settings.zipMaxRatio }
    : { maxBytes: Math.max(0, freeBytes - SPACE_RESERVE_BYTES), maxBytesFrom: 'free space', maxRatio: settings.zipMaxRatio };
}

const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

const refuse = (zip: string, what: Detail, cause?: unknown) =>
  new AppError('corrupt', 'backup-file', { en: `${path.basename(zip)}: ${what.en}`, id: `${path.basename(zip)}: ${what.id}` }, { cause });

const unsafe = (name: string) => /^[\\/]/.test(name) || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes('..');

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // yauzl's own name check would reject "../" entries with a terse error; names are checked here instead.
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => { entries.push(e); zip.readEntry(); });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function entryName(e: Entry): string {
  const raw = e.fileName as unknown as Buffer;
  // Bit 11 marks UTF-8 names; others are CP437, where ASCII (all that matters here) is the same.
  return raw.toString((e.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1');
}

/**
 * Counts bytes as they pass and fails the moment there are more than allowed (declared sizes can
 * lie), and checks the CRC-32 at the end: yauzl does not, and a flipped bit would otherwise pass.
 */
function checked(max: number, expectedCrc: number, onExceed: (seen: number) => Error, onBadCrc: () => Error): Transform {
  let seen = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) return done(onExceed(seen));
      crc = zlib.crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      done(crc >>> 0 === expectedCrc >>> 0 ? null : onBadCrc());
    },
  });
}

/** Which limit an entry crossed, and the setting that moves it. */
function tooBigText(name: string, packed: number, limits: ZipLimits, byRatio: boolean, seen?: number): Detail {
  const stopped = seen === undefined
    ? { en: 'it declares more, so nothing was unpacked', id: 'isinya tertulis lebih besar, jadi tidak ada yang dibuka' }
    : { en: `unpacking stopped after ${mb(seen)}`, id: `pembukaan dihentikan setelah ${mb(seen)}` };
  if (byRatio) {
    return {
      en: `the backup "${name}" inside would unpack to more than ${limits.maxRatio} times its packed size of ${mb(packed)} (ZIP_MAX_RATIO=${limits.maxRatio}); ` +
        `${stopped.en}. Refused as a possible zip bomb: a real iPOS backup packs a few times at most. Do not use this file; if it is genuine, raise ZIP_MAX_RATIO.`,
      id: `backup "${name}" di dalamnya akan terbuka lebih dari ${limits.maxRatio} kali ukuran terkompresinya, ${mb(packed)} (ZIP_MAX_RATIO=${limits.maxRatio}); ` +
        `${stopped.id}. Ditolak karena mungkin bom zip: backup iPOS asli hanya beberapa kali lebih kecil saat dikompres. Jangan pakai file ini; bila memang asli, naikkan ZIP_MAX_RATIO.`,
    };
  }
  if (limits.maxBytesFrom === 'ZIP_MAX_MB') {
    return {
      en: `the backup inside unpacks to more than ${mb(limits.maxBytes)} (ZIP_MAX_MB); ${stopped.en}. Refused as a possible zip bomb. Raise ZIP_MAX_MB if the backup is really that large.`,
      id: `backup di dalamnya terbuka lebih dari ${mb(limits.maxBytes)} (ZIP_MAX_MB); ${stopped.id}. Ditolak karena mungkin bom zip. Naikkan ZIP_MAX_MB bila backup-nya memang sebesar itu.`,
    };
  }
  return {
    en: `the backup inside unpacks to more than the ${mb(limits.maxBytes)} free under DATA_DIR (kept as the ceiling while ZIP_MAX_MB is not set); ${stopped.en}. ` +
      'Free some space or point DATA_DIR at a larger disk, then sync again; a zip bomb would look the same, so check the file if space is plentiful.',
    id: `backup di dalamnya terbuka lebih dari ${mb(limits.maxBytes)} ruang kosong di DATA_DIR (dipakai sebagai batas selama ZIP_MAX_MB tidak diisi); ${stopped.id}. ` +
      'Kosongkan ruang disk atau arahkan DATA_DIR ke disk yang lebih besar, lalu sync lagi; bom zip juga terlihat begini, jadi periksa filenya bila ruang disk masih banyak.',
  };
}

/** The file name to write: the entry's last path part, with only harmless characters. */
const outputName = (name: string) => (name.split(/[\\/]/).pop() ?? 'backup.i5bu').replace(/[^\w.\- ]/g, '_');

/**
 * Takes the .i5bu out of a zip, streaming, into `destDir`. Refuses unsafe entry names, zips
 * without a backup and anything that unpacks past the ceiling. With several backups inside, the
 * newest (by the zip's own timestamps) wins. Nothing is left behind on failure.
 */
export async function extractI5bu(zipPath: string, destDir: string, limits: ZipLimits): Promise<Extracted> {
  let zip: ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (err) {
    const why = (err as Error).message;
    throw refuse(zipPath, {
      en: `not a readable zip file (${why}). Check the file in the Dropbox folder or take a new backup.`,
      id: `file zip ini tidak bisa dibaca (${why}). Periksa file di folder Dropbox atau buat backup baru.`,
    }, err);
  }
  const tmp = path.join(destDir, `.extract-${process.pid}-${Date.now()}.tmp`);
  try {
    const entries = (await listEntries(zip)).map((e) => ({ e, name: entryName(e) }));
    const bad = entries.find((x) => unsafe(x.name));
    if (bad) {
      throw refuse(zipPath, {
        en: `refused: the zip holds an entry with an unsafe path "${bad.name}" (absolute or with ".."). Do not use this file.`,
        id: `ditolak: zip ini berisi entri dengan jalur berbahaya "${bad.name}" (absolut atau memuat ".."). Jangan pakai file ini.`,
      });
    }
    const backups = entries.filter((x) => /\.i5bu$/i.test(x.name) && !x.name.endsWith('/'))
      .sort((a, b) => b.e.getLastModDate().getTime() - a.e.getLastModDate().getTime());
    const chosen = backups[0];
    if (!chosen) {
      const listed = entries.map((x) => x.name).slice(0, 10).join(', ');
      const more = entries.length - 10;
      throw refuse(zipPath, {
        en: `the zip holds no .i5bu backup (it has: ${(listed || 'nothing') + (more > 0 ? ` and ${more} more` : '')}).`,
        id: `zip ini tidak berisi backup .i5bu (isinya: ${(listed || 'kosong') + (more > 0 ? ` dan ${more} lainnya` : '')}).`,
      });
    }
    const byRatio = Math.max(limits.maxRatio * chosen.e.compressedSize, RATIO_FLOOR_BYTES);
    const max = Math.min(limits.maxBytes, byRatio);
    const tooBig = (seen?: number) => refuse(zipPath, tooBigText(chosen.name, chosen.e.compressedSize, limits, byRatio < limits.maxBytes, seen));
    if (chosen.e.uncompressedSize > max) throw tooBig();
    const input = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(chosen.e, (err, s) => (err ? reject(err) : resolve(s))));
    const badCrc = () => refuse(zipPath, {
      en: `the backup "${chosen.name}" inside the zip is damaged (its checksum does not match): the file was corrupted on the way. Download it again or take a new backup.`,
      id: `backup "${chosen.name}" di dalam zip rusak (checksum-nya tidak cocok): file rusak dalam perjalanan. Unduh ulang atau buat backup baru.`,
    });
    await pipeline(input, checked(max, chosen.e.crc32, tooBig, badCrc), createWriteStream(tmp, { mode: 0o600 }));
    const out = path.join(destDir, outputName(chosen.name));
    await rename(tmp, out);
    return { path: out, entryName: chosen.name, ignored: backups.slice(1).map((x) => x.name) };
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new AppError('refused', 'disk', {
        en: `Not enough disk space in ${destDir} to unpack ${path.basename(zipPath)}. Free some space and sync again.`,
        id: `Ruang disk di ${destDir} tidak cukup untuk membuka ${path.basename(zipPath)}. Kosongkan ruang disk, lalu sync lagi.`,
      }, { cause: err });
    }
    // Failures of this machine (a missing or read-only folder) are not the zip's fault.
    if (code && (err as NodeJS.ErrnoException).syscall) throw err;
    const why = (err as Error).message;
    throw refuse(zipPath, { en: `the zip is damaged (${why}). Take a new backup.`, id: `file zip rusak (${why}). Buat backup baru.` }, err);
  } finally {
    zip.close();
  }
}
