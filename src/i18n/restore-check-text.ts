/** The per-table restore check of a verified backup (issue 17), in Indonesian and English: /backup, the CLI, the run log's error. */
export const RESTORE_CHECK_TEXT = {
  restoreCheckTitle: { id: 'Cek pemulihan', en: 'Restore check' },
  restoreCheckTables: { id: 'Baris per tabel', en: 'Rows per table' },
  restoreCheckTable: { id: 'Tabel', en: 'Table' },
  restoreCheckSource: { id: 'Di sumber', en: 'In the source' },
  restoreCheckRestored: { id: 'Setelah dipulihkan', en: 'Restored' },
  restoreCheckLine: { id: 'Cek pemulihan: {detail}', en: 'Restore check: {detail}' },
  restoreCheckEqual: { id: '{tables} tabel, {rows} baris, semua sama', en: '{tables} tables, {rows} rows, all equal' },
  restoreCheckDiffer: { id: '{mismatches} dari {tables} tabel berbeda: {list}', en: '{mismatches} of {tables} tables differ: {list}' },
  restoreCheckRows: { id: '{table} ({source} baris di sumber, {restored} setelah dipulihkan)', en: '{table} ({source} rows in the source, {restored} restored)' },
  restoreCheckMissing: { id: '{table} (tidak ada setelah dipulihkan)', en: '{table} (missing after the restore)' },
  restoreCheckExtra: { id: '{table} (tidak ada di sumber)', en: '{table} (not in the source)' },
  restoreCheckMore: { id: 'dan {count} lainnya', en: 'and {count} more' },
  restoreCheckNotMade: { id: 'tidak dibandingkan per tabel: tokobot tidak membaca {what}; hanya totalnya yang dihitung', en: 'not compared table by table: tokobot does not read {what}; only the totals were counted' },
  restoreCheckGap_lz4: { id: 'data terkompresi lz4', en: 'lz4-compressed data' },
  restoreCheckGap_zstd: { id: 'data terkompresi zstd', en: 'zstd-compressed data' },
  'restoreCheckGap_newer-format': { id: 'format arsip yang lebih baru ini', en: 'this newer archive format' },
} as const;
