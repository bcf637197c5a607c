import type { ArchiveInfo } from './archive-reader.ts';

/** 1234567 → "1.2 MB", for people. */
export const size = (n: number | null) => (n === null ? '' : n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} kB` : `${n} B`);

/** The text `tokobot inspect FILE` prints. */
export function renderArchiveInfo(info: ArchiveInfo): string {
  const compression = info.compression.algorithm === 'none' ? 'none'
    : `${info.compression.algorithm}${info.compression.level !== null ? ` (level ${info.compression.level})` : ''}`;
  const lines = [
    `File:            ${info.file} (${size(info.fileSize)})`,
    `Format:          PostgreSQL custom archive ${info.formatVersion}`,
    `Compression:     ${compression}`,
    `Dumped at:       ${info.dumpTime} (local time of the machine that made it)`,
    `Database:        ${info.database}`,
    `Server version:  ${info.serverVersion}`,
    `pg_dump version: ${info.pgDumpVersion}`,
    `Entries:         ${info.entries.length} (${Object.entries(info.countsByKind).map(([k, n]) => `${n} ${k}`).join(', ')})`,
    '',
    'Table of contents:',
  ];
  for (const e of info.entries) {
    const name = `${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? ''}`;
    lines.push(`  ${String(e.dumpId).padStart(5)}  ${e.section.padEnd(9)}  ${e.desc.padEnd(16)}  ${name}${e.dataLength !== null ? `  [${size(e.dataLength)}]` : ''}`);
  }
  return lines.join('\n');
}
