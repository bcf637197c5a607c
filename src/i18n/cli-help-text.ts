/**
 * The command line's help and its usage errors (src/cli/commands.ts, src/cli/parse-command.ts).
 * The usage lines themselves (`sync [--store ID] [--json]`) are syntax: the same in every language.
 */
export const CLI_HELP_TEXT = {
  cliUsage: { id: 'Cara pakai: tokobot {usage}', en: 'Usage: tokobot {usage}' },
  cliCommands: { id: 'Perintah:', en: 'Commands:' },
  cliOptions: { id: 'Pilihan:', en: 'Options:' },
  cliUsageEnd: {
    id: 'tokobot help COMMAND (atau tokobot COMMAND --help) menjelaskan satu perintah tanpa menjalankannya. --verbose menampilkan rincian lengkap bila gagal. Bahasa: TOKOBOT_LANG=id atau en.',
    en: 'tokobot help COMMAND (or tokobot COMMAND --help) explains one command without running it. --verbose shows the full detail of a failure. Language: TOKOBOT_LANG=id or en.',
  },

  // What each command does: its line in the list, then the start of its own help.
  helpStart: { id: 'menjalankan bot Telegram, jadwal sync dan backup, dan peringatan', en: 'run the Telegram bot, the sync and backup schedules and the alerts' },
  helpWorker: { id: 'menjalankan sync dan backup dari antrean (banyak toko, banyak mesin)', en: 'run syncs and backups from the job queue (many stores, many machines)' },
  helpAgent: {
    id: 'agent di PC toko: menjalankan job backup agent.json sesuai jadwal dan melapor ke kantor pusat',
    en: 'the shop PC\'s agent: run agent.json\'s backup jobs on schedule and report to the head office',
  },
  helpWeb: { id: 'menjalankan dasbor web saja (WEB_PORT), tanpa bot', en: 'run the web dashboard alone (WEB_PORT), without the bot' },
  helpSync: { id: 'sync backup terbaru satu toko (bawaan: semua toko)', en: 'sync the newest backup of one store (default: every store)' },
  helpInspect: { id: 'memeriksa arsip .i5bu (atau .zip) dan menampilkan isinya', en: 'check an .i5bu archive (or a .zip) and show its contents' },
  helpReport: { id: 'laporan backup dan sync hari atau minggu terakhir', en: 'report of the last day\'s or week\'s backups and syncs' },
  helpStatus: { id: 'kesegaran data dan sync terakhir tiap toko', en: 'freshness and last runs per store' },
  helpExport: { id: 'menulis daftar harga yang terbit ke file Excel (atau CSV)', en: 'write the published price list to an Excel (or CSV) file' },
  helpAsk: { id: 'menjawab pertanyaan harga dari daftar harga yang terbit', en: 'answer a price question from the published list' },
  helpChat: {
    id: 'chat bot di terminal ini, sebagai pemilik (halaman, kartu barang, /status, /sync…)',
    en: 'the bot\'s chat in this terminal, as the owner (pages, item cards, /status, /sync…)',
  },
  helpBackupRun: { id: 'menjalankan job backup sekarang (dump, uji, simpan, retensi)', en: 'run a backup job now (dump, verify, store, prune)' },
  helpBackupList: { id: 'job backup, jadwal dan hasil terakhirnya, lalu riwayat terbaru', en: 'jobs, their schedules and last results, recent runs' },
  helpBackupPrune: { id: 'menerapkan retensi; dengan --dry-run hanya menunjukkan apa yang akan dihapus dan alasannya', en: 'apply retention; with --dry-run only show what would go and why' },
  helpBackupDecrypt: { id: 'membuka enkripsi backup .enc (passphrase dari job-nya, atau dari stdin)', en: 'decrypt an .enc backup (passphrase from its job, or stdin)' },
  helpRestoreSelf: {
    id: 'membangun ulang server yang hilang dari backup job tokobot: konfigurasi, .env, kunci dan database ops',
    en: 'rebuild a lost server from a tokobot job\'s backup: config, .env, keys and the ops database',
  },
  helpBackupRestore: { id: 'memuat backup sebuah job ke database baru (diperiksa utuh lebih dulu)', en: 'load a job\'s backup into a new database (checked whole first)' },
  helpStoreAdd: { id: 'token baru untuk agent sebuah toko (tokobot agent di PC toko), ditampilkan sekali', en: 'a new token for a store\'s agent (tokobot agent on the shop PC), shown once' },
  helpStoreRevoke: { id: 'mencabut token agent sebuah toko', en: 'revoke a store\'s agent tokens' },
  helpStoreList: { id: 'token dan agent tiap toko: dibuat, oleh, terakhir dipakai, laporan terakhir', en: 'each store\'s tokens and agent: made, by, last used, last report' },
  helpDemo: { id: 'toko contoh di PostgreSQL bawaan, lalu chat di terminal (atau satu jawaban)', en: 'the sample store in the embedded PostgreSQL, then a terminal chat (or one answer)' },
  helpDoctor: { id: 'memeriksa konfigurasi, Dropbox, server database, Telegram, WhatsApp dan disk', en: 'check the config, Dropbox, the database servers, Telegram, WhatsApp, disk' },
  helpDropboxAuth: { id: 'mendapatkan refresh token Dropbox untuk .env (setujui di browser, tempel kodenya)', en: 'get the Dropbox refresh token for .env (approve in a browser, paste the code)' },
  helpAgentEnroll: {
    id: 'mendaftarkan komputer toko ini ke kantor pusat dan menulis file agennya (job backup iPOS)',
    en: 'enrol this shop PC with the head office and write its agent file (the iPOS backup job)',
  },
  helpHelp: { id: 'bantuan semua perintah, atau satu perintah', en: 'help on every command, or on one' },

  // What a command's own help says besides (exit codes, where its input comes from).
  moreWorker: {
    id: 'Mengambil pekerjaan sync dan backup dari antrean di database ops (OPS_DATABASE_URL bila mesin lain) dan menjalankan jadwal, sekali untuk semua proses. Me-restore ke server restore mesin ini. Worker yang diam lebih dari WORKER_DEAD_AFTER_S detik dianggap mati: pekerjaannya diambil worker lain. Berhenti dengan SIGTERM atau Ctrl-C setelah pekerjaan yang berjalan selesai (paling lama 30 detik).',
    en: 'Takes sync and backup jobs from the queue on the ops database (OPS_DATABASE_URL from other machines) and fires the schedules, once for all processes. Restores into this machine\'s restore server. A worker silent for WORKER_DEAD_AFTER_S seconds is taken for dead: the others take up its jobs. Stops on SIGTERM or Ctrl-C once running jobs end (for up to 30 s).',
  },
  moreStart: {
    id: 'Berjalan sampai SIGTERM atau Ctrl-C; lalu berhenti menerima pesan dan membiarkan pekerjaan yang berjalan selesai (paling lama 30 detik).',
    en: 'Runs until SIGTERM or Ctrl-C; then stops taking updates and lets running work finish (for up to 30 s).',
  },
  moreAgent: {
    id: 'Membaca agent.json (AGENT_CONFIG, bawaan DATA_DIR/agent.json; dibuat oleh tokobot agent enroll). Tanpa bot, server web, atau database ops: catatan backup dan laporan yang belum terkirim disimpan sebagai file di DATA_DIR, dan dikirim begitu kantor pusat bisa dihubungi. Hanya satu agent per DATA_DIR. Berjalan sampai SIGTERM atau Ctrl-C; backup yang berjalan diberi waktu selesai (paling lama 30 detik).',
    en: 'Reads agent.json (AGENT_CONFIG, default DATA_DIR/agent.json; written by tokobot agent enroll). No bot, web server or ops database: the run log and the reports not yet sent are files in DATA_DIR, sent as soon as the head office can be reached. One agent per DATA_DIR. Runs until SIGTERM or Ctrl-C; a running backup gets up to 30 s to finish.',
  },
  moreWeb: {
    id: 'Berjalan sampai SIGTERM atau Ctrl-C. Orang masuk dengan tautan dari /web di bot (tokobot start dengan database ops yang sama; WEB_URL menunjuk ke sini). tokobot start juga menjalankan dasbor bila WEB_PORT diisi. Dengan AGENT_INGEST=true keduanya juga menerima laporan agent toko di /api/agent/v1 (token per toko: tokobot store add).',
    en: 'Runs until SIGTERM or Ctrl-C. People sign in with the links /web sends in the bot (a tokobot start on the same ops database; WEB_URL pointing here). tokobot start serves the dashboard too when WEB_PORT is set. With AGENT_INGEST=true both also take the shop agents\' reports at /api/agent/v1 (a token per store: tokobot store add).',
  },
  moreSync: {
    id: 'Kode keluar 0 bila berhasil atau tidak ada backup baru, 1 bila gagal (dengan satu baris alasannya).',
    en: 'Exit code 0 on success and on "no new backup", 1 on failure (with one line saying why).',
  },
  moreInspect: {
    id: 'Tidak butuh konfigurasi dan tidak menyentuh database. File yang terpotong atau rusak ditolak dengan alasannya (kode keluar 1).',
    en: 'Needs no configuration and touches no database. A truncated or damaged file is refused with the reason (exit code 1).',
  },
  moreReport: {
    id: 'day: 24 jam terakhir; week (bawaan): 7 hari terakhir sampai sekarang, semua toko, dalam bahasa CLI. --pdf FILE juga menulis laporan PDF ke FILE. Laporan terjadwal (harian 07:00, mingguan Senin 07:00, per penerima: alerts.recipients[].digest) dikirim oleh worker lewat saluran peringatan ke penerima peringatan, serta ke pemilik dan admin Telegram.',
    en: 'day: the last 24 hours; week (the default): the last 7 days up to now, every store, in the CLI\'s language. --pdf FILE also writes the PDF report to FILE. Scheduled reports (daily 07:00, weekly Monday 07:00, per recipient: alerts.recipients[].digest) are sent by the workers through the alert channels to the alert recipients, and to the Telegram owners and admins.',
  },
  moreStatus: {
    id: 'Juga agen toko yang melapor ke sini (bagian "Agen toko"; di --json sebagai "agent" tiap toko). Kode keluar 1 bila ada toko yang GAGAL atau PERLU DICEK, atau agen toko yang DIAM atau backup terakhirnya gagal, untuk skrip pemantau.',
    en: 'Also the shop agents that report here (the "Shop agents" part; in --json as each store\'s "agent"). Exit code 1 when any store is FAILED or CHECK, or a shop agent is SILENT or its last backup failed, for monitoring scripts.',
  },
  moreAsk: {
    id: 'Jawabannya sama dengan jawaban bot di chat. Kode keluar 3 bila toko belum punya daftar harga (belum ada sync yang berhasil).',
    en: 'The answer is the one the chat bot gives. Exit code 3 when the store has no price list yet (no successful sync).',
  },
  moreExport: {
    id: 'Excel: satu sheet per sistem harga, angka sebagai angka dengan format rupiah, judul kolom dibekukan dan difilter. --csv menyalin file CSV yang terbit apa adanya (angka persis seperti di iPOS). Mencetak file yang ditulis. Kode keluar 3 bila toko belum punya daftar harga.',
    en: 'Excel: one sheet per price system, numbers as number cells in rupiah formats, the header frozen and filtered. --csv copies the published CSV as it is (numbers exactly as iPOS keeps them). Prints the file written. Exit code 3 when the store has no price list yet.',
  },
  moreChat: {
    id: 'Butuh database ops di server restore, tidak butuh Telegram. Ctrl-D atau /keluar untuk selesai.',
    en: 'Needs the ops database on the restore server, not Telegram. Ctrl-D or /exit ends.',
  },
  moreStoreAdd: {
    id: 'ID harus salah satu toko di konfigurasi (stores). Mencetak token sekali ini saja (kantor pusat hanya menyimpan hash-nya) dan baris tokobot agent enroll WEB_URL TOKEN untuk dijalankan di PC toko. Token lama toko itu tetap berlaku sampai dicabut, seperti /agen add di chat dan tombol di dasbor: membuat token (untuk PC kedua, atau melihat baris enroll lagi) tidak pernah memutus toko yang sedang melapor. Token hilang atau tersalin: tokobot store revoke ID, lalu store add lagi dan enroll ulang PC toko. Laporan diterima bila AGENT_INGEST=true dan WEB_PORT diisi. Kode keluar: 0 berhasil, 2 toko tidak dikenal, 1 gagal.',
    en: 'ID must be one of the config\'s stores. Prints the token this once only (the head office keeps only its hash) and the line tokobot agent enroll WEB_URL TOKEN to run on the shop PC. The store\'s older tokens stay valid until revoked, as with /agen add in the chat and the dashboard\'s button: making a token (for a second PC, or to see the enrol line again) never cuts off a shop that reports now. A token lost or copied: tokobot store revoke ID, then store add again and enrol the shop PC again. Reports are taken with AGENT_INGEST=true and WEB_PORT set. Exit codes: 0 done, 2 unknown store, 1 failed.',
  },
  moreStoreRevoke: {
    id: 'Mencabut semua token aktif toko itu (juga toko yang sudah dihapus dari konfigurasi): agent-nya ditolak mulai permintaan berikutnya dan peringatan "agent diam" menyusul. Riwayat laporannya tetap. Kode keluar: 0 berhasil, 2 toko tidak dikenal, 1 gagal.',
    en: 'Revokes every live token of the store (a store removed from the config too): its agent is refused from its next request and the "agent silent" alert follows. Its reports so far stay. Exit codes: 0 done, 2 unknown store, 1 failed.',
  },
  moreStoreList: {
    id: 'Tiap toko di konfigurasi (dan toko lama yang masih punya token): tokennya (nomor, dibuat, oleh siapa, terakhir dipakai, aktif atau dicabut; tokennya sendiri tidak pernah) dan agent-nya bila sudah melapor (host, versi, laporan dan detak terakhir, selisih jam). Kode keluar: 0, atau 1 bila database ops tidak terjangkau.',
    en: 'Every configured store (and old stores that still have tokens): its tokens (number, made, by whom, last used, live or revoked; never the token itself) and its agent once it reported (host, version, last report and heartbeat, clock difference). Exit codes: 0, or 1 when the ops database is out of reach.',
  },
  moreBackupRun: {
    id: 'Kemajuan di stderr; file, ukuran, SHA-256 dan tujuannya di stdout. Kode keluar 1 bila backup gagal.',
    en: 'Progress on stderr; the file, size, SHA-256 and where it went on stdout. Exit code 1 when the run failed.',
  },
  moreBackupDecrypt: {
    id: 'Tanpa konfigurasi, passphrase dibaca dari baris pertama stdin: echo "$PASS" | tokobot backup decrypt FILE',
    en: 'Without the config, the passphrase is the first line of stdin: echo "$PASS" | tokobot backup decrypt FILE',
  },
  moreRestoreSelf: {
    id: 'Passphrase dari TOKOBOT_RESTORE_PASSPHRASE, atau baris pertama stdin. Seluruh file diperiksa (SHA-256 tiap isi, dump database dibaca utuh) sebelum apa pun ditulis. File ditulis ke tempat yang disebut pengaturan sekarang (TOKOBOT_CONFIG, .env di folder ini, DATA_DIR); file yang berbeda tidak ditimpa tanpa --force (yang lama disimpan sebagai .before-restore-…); password di DATA_DIR yang sudah ada tidak pernah diganti. Database ops hanya diisi bila belum berisi tabel. --to DIR: hanya membongkar isi file ke DIR. Kode keluar 1 bila database ops tidak dipulihkan.',
    en: 'The passphrase from TOKOBOT_RESTORE_PASSPHRASE, or the first line of stdin. The whole file is checked (every member\'s SHA-256, the database dump read whole) before anything is written. Files go where the current settings say (TOKOBOT_CONFIG, the .env of this folder, DATA_DIR); a different file there is not replaced without --force (the old one kept as .before-restore-…); a password already in DATA_DIR is never replaced. The ops database is filled only when it has no tables. --to DIR: only unpack the members into DIR. Exit code 1 when the ops database was not restored.',
  },
  moreBackupRestore: {
    id: 'Menolak database yang sudah berisi tabel. Seluruh file diperiksa lebih dulu, jadi file yang terpotong atau rusak ditolak sebelum apa pun dimuat.',
    en: 'Refuses a database that already has tables. The whole file is checked first, so a cut or damaged file is refused before anything is loaded.',
  },
  moreDemo: { id: 'Tidak butuh konfigurasi, Docker, Dropbox atau Telegram; datanya di data/demo.', en: 'Needs no configuration, Docker, Dropbox or Telegram; its data is under data/demo.' },
  moreDoctor: {
    id: 'Tidak mengubah apa pun. Satu baris per pemeriksaan (✓, ! untuk catatan, ✗ dengan apa yang harus dilakukan); kode keluar 1 bila ada yang harus diperbaiki. Di komputer toko (ada file agen, tanpa TOKOBOT_CONFIG dan TELEGRAM_BOT_TOKEN, atau dengan --agent) yang diperiksa agennya: database iPOS, versi pg_dump, tujuan backup, kantor pusat, laporan yang menunggu dan disk.',
    en: 'Changes nothing. One line per check (✓, ! for a note, ✗ with what to do); exit code 1 when something must be fixed. On a shop PC (an agent file, no TOKOBOT_CONFIG and no TELEGRAM_BOT_TOKEN, or with --agent) it checks the agent: the iPOS database, pg_dump\'s version, the destinations, the head office, the reports waiting and the disk.',
  },
  moreAgentEnroll: {
    id: 'URL: alamat https kantor pusat (WEB_URL-nya); TOKEN: yang dicetak tokobot store add di sana. Token diperiksa ke kantor pusat lebih dulu; bila ditolak atau kantor pusat tidak bisa dihubungi, tidak ada yang ditulis (kode keluar 1). File ditulis ke AGENT_CONFIG, atau DATA_DIR/agent.json, dengan mode 600. Daftar ulang toko yang sama mempertahankan ID instalasi dan job lain di file itu.',
    en: 'URL: the head office\'s https address (its WEB_URL); TOKEN: what tokobot store add printed there. The token is checked with the head office first; when it is refused or the head office cannot be reached nothing is written (exit code 1). The file goes to AGENT_CONFIG, else DATA_DIR/agent.json, with mode 600. Enrolling the same store again keeps the install\'s id and the file\'s other jobs.',
  },
  moreDropboxAuth: { id: 'Tidak butuh pengaturan lain.', en: 'Needs nothing else configured.' },

  // Options.
  optPdf: { id: 'tulis laporan PDF ke FILE', en: 'write the PDF report to FILE' },
  reportPeriod: { id: 'periode "{given}" tidak dikenal: pakai day atau week', en: 'unknown period "{given}": use day or week' },
  reportNoPdf: { id: 'laporan ini tidak punya PDF (penyaji laporan tanpa file); teksnya dicetak di atas', en: 'this report has no PDF (a report renderer without files); its text is printed above' },
  optJson: { id: 'keluaran JSON, untuk skrip', en: 'JSON output, for scripts' },
  optStoreOne: { id: 'hanya toko ini (ID-nya di konfigurasi)', en: 'only this store (its ID in the config)' },
  optStoreAsk: { id: 'toko yang dicari (bawaan: toko pertama)', en: 'the store to search (default: the first)' },
  optStoreChat: { id: 'toko yang ditanyakan (bisa diganti dengan /toko)', en: 'the store asked about (/toko changes it)' },
  optConcurrency: { id: 'pekerjaan yang berjalan bersamaan (bawaan: WORKER_CONCURRENCY, atau 1)', en: 'jobs run at once (default: WORKER_CONCURRENCY, or 1)' },
  optOnce: {
    id: 'menjalankan setiap job sekali sekarang, mengirim laporannya, lalu keluar (kode 1 bila ada yang gagal): untuk mencoba pengaturan, atau untuk Task Scheduler Windows',
    en: 'run every job once now, send the reports, then exit (code 1 when one failed): to try the setup, or for the Windows Task Scheduler',
  },
  optLink: { id: 'cetak tautan masuk sekali pakai untuk Anda di terminal ini (sebagai pemilik)', en: 'print a one-time sign-in link for you at this terminal (as the owner)' },
  optDryRun: { id: 'hanya tunjukkan; tidak menghapus apa pun', en: 'only show; delete nothing' },
  optCsv: { id: 'CSV untuk mesin, bukan Excel', en: 'the CSV for machines instead of Excel' },
  optOutList: { id: 'tulis ke PATH (bawaan: daftar-harga-TOKO-TANGGAL.xlsx di folder ini)', en: 'write to PATH (default: daftar-harga-STORE-DATE.xlsx in this folder)' },
  optOut: { id: 'tulis hasilnya ke PATH (bawaan: nama file tanpa .enc)', en: 'write to PATH (default: the name without .enc)' },
  optTo: { id: 'hanya bongkar isinya ke folder baru ini', en: 'only unpack the members into this new folder' },
  optForce: { id: 'timpa konfigurasi dan .env yang berbeda (yang lama disimpan)', en: 'replace a different config file and .env (the old ones kept)' },
  optInto: { id: 'database baru (atau kosong) tujuannya', en: 'the new (or empty) database to load into' },
  optAsk: { id: 'jawab satu pertanyaan ini lalu selesai', en: 'answer this one question, then exit' },
  optAppKey: { id: 'app key aplikasi Dropbox (atau DROPBOX_APP_KEY di .env)', en: 'the Dropbox app\'s key (or DROPBOX_APP_KEY in .env)' },
  optIposUrl: { id: 'URL database iPOS ditulis di file (bawaan: dibaca dari IPOS_DATABASE_URL saat berjalan)', en: 'the iPOS database URL, written into the file (default: read from IPOS_DATABASE_URL at run time)' },
  optSchedule: { id: 'jadwal cron backup iPOS (bawaan: "0 21 * * *", pukul 21.00 waktu STORE_TZ)', en: 'the iPOS backup\'s cron schedule (default: "0 21 * * *", 21:00 STORE_TZ time)' },
  optDir: { id: 'juga simpan backup di folder lokal ini (disk kedua, NAS)', en: 'also keep the backups in this local folder (a second disk, a NAS)' },
  optAgent: { id: 'periksa agen toko di komputer ini (file agen), bukan kantor pusat', en: 'check this computer\'s shop agent (its agent file), not a head office' },
  optVerbose: { id: 'rincian lengkap bila gagal (juga LOG_LEVEL=debug)', en: 'the full detail of a failure (also LOG_LEVEL=debug)' },
  optHelp: { id: 'bantuan ini; tidak menjalankan apa pun', en: 'this help; runs nothing' },

  // Commands given wrongly.
  cliUnknownCommand: { id: 'perintah "{name}" tidak dikenal', en: 'unknown command "{name}"' },
  cliDidYouMean: { id: 'mungkin maksud Anda tokobot {name}?', en: 'did you mean tokobot {name}?' },
  cliSeeHelp: { id: 'tokobot help menampilkan semua perintah', en: 'tokobot help lists the commands' },
  cliNeedsSub: { id: '{group} butuh salah satu dari: {subs}', en: '{group} needs one of: {subs}' },
  cliUnknownOption: { id: 'pilihan {option} tidak dikenal', en: 'unknown option {option}' },
  cliConcurrency: { id: '--concurrency harus bilangan bulat 1 sampai 64, bukan "{value}"', en: '--concurrency must be a whole number from 1 to 64, not "{value}"' },
  cliNotItsOption: { id: '{command} tidak punya pilihan {option}', en: '{command} has no option {option}' },
  cliOptionValue: { id: '{option} butuh nilai', en: '{option} needs a value' },
  cliOptionNoValue: { id: '{option} tidak menerima nilai', en: '{option} takes no value' },
  cliMissingWord: { id: '{command} butuh {word}', en: '{command} needs {word}' },
  cliExtraWord: { id: '{command} tidak menerima "{word}"', en: '{command} does not take "{word}"' },
  cliHowTo: { id: '{problem}: tokobot {usage}', en: '{problem}: tokobot {usage}' },

  // Failures (src/cli/failure.ts).
  cliUnexpected: { id: 'kesalahan tak terduga (ref {ref}); rinciannya di log: {where}', en: 'unexpected error (ref {ref}); details in the log: {where}' },
  cliLogOnStderr: { id: 'catatan di stderr di atas', en: 'the record on stderr above' },
  cliWarning: { id: 'peringatan', en: 'warning' },
} as const;
