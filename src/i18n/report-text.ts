import type { Lang } from './lang.ts';

/**
 * The daily digest and the weekly report (chat text, chart, PDF, e-mail HTML), in Indonesian (the
 * default) and English. Kept out of the main catalogue (text.ts): only src/bot/report reads them.
 */
export const REPORT_TEXT = {
  title_day: { id: 'Laporan harian {period}', en: 'Daily report {period}' },
  title_week: { id: 'Laporan mingguan {period}', en: 'Weekly report {period}' },
  /** The file names' words (laporan-harian-2026-11-29.pdf / report-daily-2026-11-29.pdf). */
  file_day: { id: 'laporan-harian', en: 'report-daily' },
  file_week: { id: 'laporan-mingguan', en: 'report-weekly' },
  countsFailed: { id: '{failures} gagal dari {runs}', en: '{failures} failed of {runs}' },
  countsAllGood: { id: 'semua {runs} berhasil', en: 'all {runs} succeeded' },
  countsNone: { id: 'tidak ada run', en: 'no runs' },
  countsAlerts: { id: '{n} peringatan terbuka', en: 'alerts open: {n}' },
  kind_job: { id: 'backup', en: 'backup' },
  kind_store: { id: 'sync', en: 'sync' },
  runs: { id: '{runs} run, {failures} gagal', en: '{runs} runs, {failures} failed' },
  oneRun: { id: '1 run, {failures} gagal', en: '1 run, {failures} failed' },
  noRunsInPeriod: { id: 'tidak ada run dalam periode ini', en: 'no runs in this period' },
  lastGood: { id: 'terakhir baik {time}', en: 'last good {time}' },
  neverGood: { id: 'belum pernah berhasil', en: 'never succeeded' },
  avgDuration: { id: 'rata-rata {duration}', en: 'average {duration}' },
  restoreCheck: { id: 'cek restore {checked}×, {mismatches} beda', en: 'restore check {checked}×, {mismatches} differing' },
  lastError: { id: 'Kesalahan terakhir: {error}', en: 'Last error: {error}' },
  alertsHeading: { id: 'Peringatan terbuka ({n}):', en: 'Open alerts ({n}):' },
  alertSince: { id: 'sejak {time}', en: 'since {time}' },
  noAlerts: { id: 'Tidak ada peringatan terbuka.', en: 'No open alerts.' },
  disksHeading: { id: 'Ruang disk:', en: 'Disk space:' },
  shopsHeading: { id: 'Harga dan stok:', en: 'Prices and stock:' },
  shopNoChanges: { id: '{store}: tidak ada perubahan harga', en: '{store}: no price changes' },
  shopChangesUnknown: { id: '{store}: perubahan harga tidak tercatat', en: '{store}: price changes not recorded' },
  shopLowStock: { id: '{store}: {items} barang di bawah stok minimum ({rows} baris, {offices} kantor)', en: '{store}: {items} items under their minimum stock ({rows} rows, {offices} offices)' },
  shopNoLowStock: { id: '{store}: tidak ada barang di bawah stok minimum', en: '{store}: no item under its minimum stock' },
  shopStockUnknown: { id: '{store}: stok belum bisa dibaca (belum ada sync yang berhasil)', en: '{store}: stock cannot be read yet (no successful sync)' },
  diskLocal: { id: 'server tokobot', en: 'tokobot server' },
  diskStore: { id: 'toko {store}', en: 'store {store}' },
  diskFree: { id: 'sisa {free} (minimal {min})', en: '{free} free (minimum {min})' },
  diskLow: { id: 'DI BAWAH MINIMUM', en: 'BELOW THE MINIMUM' },
  // The chart.
  chartSize: { id: 'Ukuran backup (MB)', en: 'Backup size (MB)' },
  chartSizeLog: { id: 'Ukuran backup (MB, skala log)', en: 'Backup size (MB, log scale)' },
  chartDuration: { id: 'Durasi (menit)', en: 'Duration (minutes)' },
  chartFailed: { id: 'Gagal', en: 'Failed' },
  chartEmpty: { id: 'Tidak ada run dalam periode ini', en: 'No runs in this period' },
  // The PDF and the HTML.
  period: { id: 'Periode: {from} – {to}', en: 'Period: {from} – {to}' },
  zone: { id: 'Zona waktu: {zone}', en: 'Time zone: {zone}' },
  storesOnly: { id: 'Hanya toko: {stores}', en: 'Stores only: {stores}' },
  summary: { id: 'Ringkasan', en: 'Summary' },
  colSubject: { id: 'Nama', en: 'Name' },
  colKind: { id: 'Jenis', en: 'Kind' },
  colRuns: { id: 'Run', en: 'Runs' },
  colFailures: { id: 'Gagal', en: 'Failed' },
  colLastGood: { id: 'Terakhir baik', en: 'Last good' },
  colSize: { id: 'Ukuran', en: 'Size' },
  colDuration: { id: 'Durasi rata-rata', en: 'Average duration' },
  colRestore: { id: 'Cek restore', en: 'Restore check' },
  restoreCell: { id: '{checked}× / {mismatches} beda', en: '{checked}× / {mismatches} differing' },
  errorsHeading: { id: 'Kesalahan terakhir', en: 'Last errors' },
  chartHeading: { id: 'Grafik', en: 'Chart' },
  colWhere: { id: 'Lokasi', en: 'Where' },
  colPath: { id: 'Folder', en: 'Folder' },
  colFree: { id: 'Sisa', en: 'Free' },
  colMin: { id: 'Minimal', en: 'Minimum' },
  colStatus: { id: 'Status', en: 'Status' },
  diskOk: { id: 'cukup', en: 'enough' },
  sev_critical: { id: 'Kritis', en: 'Critical' },
  sev_warning: { id: 'Perhatian', en: 'Warning' },
  noDisks: { id: 'Tidak ada data disk.', en: 'No disk data.' },
  generated: { id: 'Dibuat {time} oleh tokobot · halaman {page} dari {pages}', en: 'Made {time} by tokobot · page {page} of {pages}' },
  generatedAt: { id: 'Dibuat {time} oleh tokobot', en: 'Made {time} by tokobot' },
} satisfies Record<string, Record<Lang, string>>;

export type ReportTextKey = keyof typeof REPORT_TEXT;

/** The report sentence `key` in `lang`, each {name} replaced by its param. */
export function reportText(lang: Lang, key: ReportTextKey, params: Record<string, string | number> = {}): string {
  return REPORT_TEXT[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (params[k] === undefined ? m : String(params[k])));
}
