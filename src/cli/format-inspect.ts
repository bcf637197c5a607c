import type { ArchiveInfo } from '../pipeline/archive/archive-reader.ts';
import { size } from '../pipeline/archive/render-archive.ts';
import { t, type Lang, type TextKey } from '../i18n/text.ts';

/** The text `tokobot inspect FILE` prints: the archive's header, then its table of contents. */
export function renderArchiveInfo(info: ArchiveInfo, lang: Lang): string {
  const compression = info.compression.algorithm === 'none' ? t(lang, 'inspectNoCompression')
    : `${info.compression.algorithm}${info.compression.level !== null ? ` (level ${info.compression.level})` : ''}`;
  const fields: [TextKey, string][] = [
    ['inspectFile', `${info.file} (${size(info.fileSize)})`],
    ['inspectFormat', t(lang, 'inspectFormatIs', { version: info.formatVersion })],
    ['inspectCompression', compression],
    ['inspectDumped', t(lang, 'inspectLocalTime', { time: info.dumpTime })],
    ['inspectDatabase', info.database],
    ['inspectServer', info.serverVersion],
    ['inspectPgDump', info.pgDumpVersion],
    ['inspectEntries', `${info.entries.length} (${Object.entries(info.countsByKind).map(([k, n]) => `${n} ${k}`).join(', ')})`],
  ];
  const width = Math.max(...fields.map(([label]) => t(lang, label).length)) + 2;
  const lines = [...fields.map(([label, value]) => `${`${t(lang, label)}:`.padEnd(width)}${value}`), '', t(lang, 'inspectContents')];
  for (const e of info.entries) {
    const name = `${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? ''}`;
    lines.push(`  ${String(e.dumpId).padStart(5)}  ${e.section.padEnd(9)}  ${e.desc.padEnd(16)}  ${name}${e.dataLength !== null ? `  [${size(e.dataLength)}]` : ''}`);
  }
  return lines.join('\n');
}
