import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipFile } from '../fixtures/ipos-database.ts';

/** The wall-clock fields pg_dump writes for `at` in `zone` (struct tm: year from 1900, month from 0). */
function tmFields(at: Date, zone: string): number[] {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return [p.second, p.minute, p.hour, p.day, (p.month ?? 1) - 1, (p.year ?? 1900) - 1900, 0].map(Number);
}

/**
 * A copy of a fixture backup as if the shop's computer had just dumped it: the archive's dump
 * time (the seven integers after the compression field, format 1.14 as pg_dump 15 writes it) set
 * to `at` in `zone`, the rest byte for byte. The shared fixtures are cached for days, and a
 * store's freshness runs from the dump time. A `.zip` destination gets the archive zipped.
 */
export async function freshBackup(i5buPath: string, dest: string, zone = 'Asia/Jakarta', at = new Date()): Promise<string> {
  const b = Buffer.from(readFileSync(i5buPath));
  if (b.subarray(0, 5).toString() !== 'PGDMP' || b[5] !== 1 || b[6] !== 14) throw new Error(`${i5buPath}: expected a 1.14 custom archive`);
  const intSize = b[8] as number;
  let p = 11 + 1 + intSize; // past the header bytes and the compression level
  for (const v of tmFields(at, zone)) {
    b[p] = 0;
    b.writeUIntLE(v, p + 1, intSize);
    p += 1 + intSize;
  }
  if (!dest.toLowerCase().endsWith('.zip')) {
    writeFileSync(dest, b);
    return dest;
  }
  const inner = `${dest}.i5bu`;
  writeFileSync(inner, b);
  await zipFile(inner, dest, `${path.basename(dest, path.extname(dest))}.i5bu`);
  rmSync(inner);
  return dest;
}
