/**
 * What the command line's commands print (src/cli/*.ts). Store and job ids, file names, stage
 * names and numbers are put in as they are; details from the pipeline (an error's message, a
 * retention reason) come in the words they were recorded in.
 */
export const CLI_TEXT = {
  // tokobot export (export.ts).
  exportWritten: { id: '[{store}] daftar harga ({rows} baris) ditulis ke {file}', en: '[{store}] price list ({rows} rows) written to {file}' },
  // tokobot sync, tokobot status (format-sync.ts).
  syncProgressOf: { id: '{done} dari {total}', en: '{done} of {total}' },
  syncNoNew: { id: '[{store}] tidak ada backup baru ({file} sudah terbit)', en: '[{store}] no new backup ({file} is already published)' },
  syncFailedLine: { id: '[{store}] sync gagal saat {stage}: {error}', en: '[{store}] sync failed during {stage}: {error}' },
  syncPublished: { id: '[{store}] {rows} baris harga dari {file} terbit', en: '[{store}] published {rows} price rows from {file}' },
  syncWarnings: { id: '{n} peringatan', en: '{n} warnings' },
  statusNewest: { id: 'backup terbaru: {file}, umurnya {age}', en: 'newest backup: {file}, {age} old' },
  statusNoBackup: { id: 'backup terbaru: belum ada', en: 'newest backup: none seen yet' },
  statusLastGood: { id: 'sync berhasil terakhir: {time} ({rows} baris dari {file})', en: 'last successful sync: {time} ({rows} rows from {file})' },
  statusNeverGood: { id: 'sync berhasil terakhir: belum pernah', en: 'last successful sync: never' },
  statusLastFailure: { id: 'gagal terakhir: {time} saat {stage}: {error}', en: 'last failure: {time} during {stage}: {error}' },
  hoursShort: { id: '{n} jam', en: '{n} h' },
  daysShort: { id: '{n} hari', en: '{n} days' },
  warningLine: { id: 'peringatan: {text}', en: 'warning: {text}' },

  // tokobot backup (format-backup.ts, backup-commands.ts).
  backupDumped: { id: '[{job}] dump: {size} ditulis', en: '[{job}] dump: {size} written' },
  backupRows: { id: '{rows} baris', en: '{rows} rows' },
  backupUploading: { id: '[{job}] kirim ke {destination}: {percent}% dari {size}', en: '[{job}] upload to {destination}: {percent}% of {size}' },
  backupRunFailed: { id: '[{job}] backup GAGAL: {error}', en: '[{job}] backup FAILED: {error}' },
  backupMade: { id: '[{job}] backup {file}: {size}, sha256 {sha256}', en: '[{job}] backup {file}: {size}, sha256 {sha256}' },
  backupVerification: { id: 'uji: {detail}', en: 'verification: {detail}' },
  backupStored: { id: 'tersimpan: {where}', en: 'stored: {where}' },
  backupNone: { id: 'tidak ada', en: 'none' },
  jobEncrypted: { id: 'terenkripsi', en: 'encrypted' },
  jobSchedule: { id: 'jadwal: {schedule}', en: 'schedule: {schedule}' },
  jobOnDemand: { id: 'tidak ada (hanya bila dijalankan)', en: 'none (on demand only)' },
  jobNext: { id: 'berikutnya {time}', en: 'next {time}' },
  jobRunning: { id: 'sedang berjalan: {stage}', en: 'running now: {stage}' },
  jobLastRun: { id: 'terakhir: {status} {time}', en: 'last run: {status} {time}' },
  jobNever: { id: 'terakhir: belum pernah', en: 'last run: never' },
  jobLastGood: { id: 'terakhir berhasil: {time} {file}', en: 'last good: {time} {file}' },
  recentRuns: { id: 'Riwayat terbaru:', en: 'Recent runs:' },
  pruneKeep: { id: 'simpan', en: 'keep' },
  pruneLeave: { id: 'biarkan', en: 'leave' },
  pruneDelete: { id: 'hapus', en: 'delete' },
  pruneDeleted: { id: 'dihapus', en: 'deleted' },
  pruneFailed: { id: 'tidak bisa dipangkas: {error}', en: 'could not prune: {error}' },
  pruneNothing: { id: 'tidak ada backup job ini di sini', en: 'no backups of this job here' },
  decrypted: { id: '{file} dibuka → {target}', en: 'decrypted {file} → {target}' },
  restored: { id: '{file} dimuat ke {into}: {tables} tabel, {rows} baris', en: 'restored {file} into {into}: {tables} tables, {rows} rows' },
  selfMadeBy: { id: '{file}: backup pengaturan tokobot {version} dari {host}, dibuat {at}', en: '{file}: self-backup of tokobot {version} on {host}, made {at}' },
  selfFile_written: { id: 'ditulis: {to}', en: 'written: {to}' },
  selfFile_replaced: { id: 'ditimpa: {to} (yang lama: {before})', en: 'replaced: {to} (the old one: {before})' },
  selfFile_same: { id: 'sudah sama: {to}', en: 'already the same: {to}' },
  selfFile_kept: { id: 'dibiarkan: {to} (berbeda dari backup, tapi server di sini memakainya)', en: 'kept: {to} (differs from the backup\'s, but the server here uses it)' },
  selfDbRestored: { id: 'database ops dipulihkan ke {into}: {tables} tabel, {rows} baris', en: 'ops database restored into {into}: {tables} tables, {rows} rows' },
  selfDbNot: { id: 'database ops TIDAK dipulihkan: {why}', en: 'ops database NOT restored: {why}' },
  selfNext: {
    id: 'Berikutnya: tokobot doctor, lalu jalankan tokobot (tokobot start, atau layanannya). WhatsApp dipasangkan lagi dengan memindai QR.',
    en: 'Next: tokobot doctor, then start tokobot (tokobot start, or its service). WhatsApp is paired again by scanning its QR code.',
  },
  selfNoPassphrase: {
    id: 'Tidak ada passphrase: isi TOKOBOT_RESTORE_PASSPHRASE untuk perintah ini, atau berikan lewat stdin (echo "$PASS" | tokobot restore-self FILE).',
    en: 'No passphrase: set TOKOBOT_RESTORE_PASSPHRASE for this command, or give it on stdin (echo "$PASS" | tokobot restore-self FILE).',
  },
  noSuchFile: { id: 'File {file} tidak ada.', en: 'There is no file {file}.' },
  notAFile: { id: '{file} bukan file (folder?); sebutkan file backupnya.', en: '{file} is not a file (a folder?); name the backup file.' },
  noPassphrase: {
    id: 'Tidak ada passphrase: {file} bukan milik job terenkripsi mana pun di konfigurasi, jadi berikan passphrase lewat stdin (echo "$PASS" | tokobot backup decrypt FILE).',
    en: 'No passphrase: {file} belongs to no encrypted job in the config, so give the passphrase on stdin (echo "$PASS" | tokobot backup decrypt FILE).',
  },
  giveOut: { id: 'Berikan --out PATH: {file} tidak berakhiran .enc.', en: 'Give --out PATH: {file} does not end in .enc.' },
  targetExists: { id: '{target} sudah ada; pindahkan dulu atau berikan --out PATH.', en: '{target} exists already; move it away or give --out PATH.' },
  notAJobsFile: {
    id: 'Nama {file} tidak seperti backup job mana pun di konfigurasi (<job>_<YYYYMMDD_HHmmss>.<ext>).',
    en: '{file} is not named like the backups of any configured job (<job>_<YYYYMMDD_HHmmss>.<ext>).',
  },

  // tokobot inspect (format-inspect.ts); the labels line up, so each language pads its own.
  inspectFile: { id: 'File', en: 'File' },
  inspectFormat: { id: 'Format', en: 'Format' },
  inspectFormatIs: { id: 'arsip custom PostgreSQL {version}', en: 'PostgreSQL custom archive {version}' },
  inspectCompression: { id: 'Kompresi', en: 'Compression' },
  inspectNoCompression: { id: 'tidak ada', en: 'none' },
  inspectDumped: { id: 'Waktu dump', en: 'Dumped at' },
  inspectLocalTime: { id: '{time} (jam setempat mesin pembuatnya)', en: '{time} (local time of the machine that made it)' },
  inspectDatabase: { id: 'Database', en: 'Database' },
  inspectServer: { id: 'Versi server', en: 'Server version' },
  inspectPgDump: { id: 'Versi pg_dump', en: 'pg_dump version' },
  inspectEntries: { id: 'Entri', en: 'Entries' },
  inspectContents: { id: 'Daftar isi:', en: 'Table of contents:' },

  // tokobot demo, tokobot dropbox-auth.
  demoStarts: { id: 'tokobot demo: toko contoh di {sample}, PostgreSQL {target} di {dir}', en: 'tokobot demo: the sample store in {sample}, PostgreSQL {target} under {dir}' },
  demoFailed: { id: 'Sync gagal saat {stage}: {error}', en: 'The sync failed during {stage}: {error}' },
  demoPublished: { id: '{rows} baris harga dari {file} terbit.', en: 'Published {rows} price rows from {file}.' },
  demoSame: { id: 'Daftar harga dari {file} sudah terbit.', en: 'The price list from {file} is already published.' },
  dropboxOpen: {
    id: '1. Buka alamat ini di browser, masuk ke Dropbox toko dan tekan Allow:',
    en: '1. Open this address in a browser, sign in to the shop\'s Dropbox and press Allow:',
  },
  dropboxPaste: { id: '2. Tempel kode yang ditunjukkan Dropbox di sini lalu tekan Enter: ', en: '2. Paste the code Dropbox shows here and press Enter: ' },
  dropboxNoCode: { id: 'Tidak ada kode yang ditempel; jalankan tokobot dropbox-auth lagi.', en: 'No code was pasted; run tokobot dropbox-auth again.' },
  dropboxLinked: {
    id: 'Akun Dropbox {account} tertaut. Masukkan dua baris di atas ke .env (app secret tidak diperlukan dengan token ini).',
    en: 'Dropbox account {account} linked. Put the two lines above in .env (the app secret is not needed with this token).',
  },
  dropboxNeedsKey: {
    id: 'dropbox-auth butuh app key: tokobot dropbox-auth --app-key KEY (atau DROPBOX_APP_KEY di .env). Buat aplikasinya di https://www.dropbox.com/developers/apps (Scoped access; izin files.content.read, dan files.content.write untuk unggahan backup).',
    en: 'dropbox-auth needs the app key: tokobot dropbox-auth --app-key KEY (or DROPBOX_APP_KEY in .env). Create the app at https://www.dropbox.com/developers/apps (Scoped access; permissions files.content.read, and files.content.write for backup uploads).',
  },
} as const;
