/** Why retention keeps, deletes or leaves a backup (`tokobot backup prune`, the backup console), in Indonesian and English. */
export const RETENTION_TEXT = {
  retention_keepLast: { id: 'salah satu dari {count} terakhir (#{n})', en: 'one of the last {count} (#{n})' },
  retention_newestGood: { id: 'backup baik terbaru', en: 'newest good backup' },
  retention_daily: { id: 'harian {period}', en: 'daily {period}' },
  retention_weekly: { id: 'mingguan {period}', en: 'weekly {period}' },
  retention_monthly: { id: 'bulanan {period}', en: 'monthly {period}' },
  retention_outside: { id: 'di luar semua kelompok retensi', en: 'outside every retention bucket' },
  retention_failed: { id: 'gagal, dan tidak termasuk yang terakhir disimpan', en: 'failed, and not among the last kept' },
  retention_future: { id: 'bertanggal di masa depan ({time}): dibiarkan', en: 'dated in the future ({time}): left alone' },
  retention_empty: { id: 'berkas kosong: dibiarkan', en: 'empty file: left alone' },
  retention_notLogged: { id: 'tidak ada di log run: dibiarkan', en: 'not in the run log: left alone' },
  retention_notHere: { id: 'tidak tercatat dikirim ke sini (run #{run}): dibiarkan', en: 'not recorded as delivered here (run #{run}): left alone' },
  retention_failedRun: { id: 'dari run yang gagal (#{run}): dibiarkan', en: 'from a failed run (#{run}): left alone' },
  retention_unfinishedRun: { id: 'dari run yang belum selesai (#{run}): dibiarkan', en: 'from a run not finished yet (#{run}): left alone' },
  retention_sizeDiffers: { id: '{here} byte di sini, {logged} di log run: dibiarkan', en: '{here} bytes here, {logged} in the run log: left alone' },
  retention_unverified: { id: 'belum diverifikasi, padahal job ini memverifikasi: dibiarkan', en: 'not verified, and the job verifies: left alone' },
} as const;
