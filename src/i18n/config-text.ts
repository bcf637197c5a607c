/**
 * What a wrong setting is told with, after the variable or field it concerns ("PG_URL: …"). No
 * sentence quotes a value that may be secret: a URL, a token or a passphrase is described, never
 * repeated.
 */
export const CONFIG_TEXT = {
  // What zod finds, whatever the setting (src/config/config-issues.ts).
  required: { id: 'wajib diisi', en: 'required' },
  expectedType: { id: 'harus berupa {type}', en: 'expected {type}' },
  typeText: { id: 'teks', en: 'text' },
  typeNumber: { id: 'angka', en: 'a number' },
  typeWhole: { id: 'bilangan bulat', en: 'a whole number' },
  typeBoolean: { id: 'true atau false', en: 'true or false' },
  typeList: { id: 'daftar', en: 'a list' },
  typeSection: { id: 'bagian berisi kunci: nilai', en: 'a section of key: value pairs' },
  oneOf: { id: 'harus {values}', en: 'expected {values}' },
  atLeast: { id: 'minimal {min}', en: 'expected {min} or more' },
  moreThan: { id: 'harus lebih dari {min}', en: 'expected more than {min}' },
  atMost: { id: 'maksimal {max}', en: 'expected {max} or less' },
  lessThan: { id: 'harus kurang dari {max}', en: 'expected less than {max}' },
  notEmpty: { id: 'tidak boleh kosong', en: 'must not be empty' },
  minChars: { id: 'minimal {min} karakter', en: 'expected at least {min} characters' },
  maxChars: { id: 'maksimal {max} karakter', en: 'expected at most {max} characters' },
  minEntries: { id: 'daftarnya minimal berisi {min}', en: 'expected at least {min} entries' },
  maxEntries: { id: 'daftarnya maksimal berisi {max}', en: 'expected at most {max} entries' },
  unknownFields: { id: 'tidak dikenal: {keys} (periksa ejaannya)', en: 'not a known field: {keys} (check the spelling)' },
  badForm: { id: 'bentuknya tidak sesuai', en: 'not in the expected form' },
  notValid: { id: 'tidak valid', en: 'not valid' },
  topLevel: { id: '(tingkat teratas)', en: '(top level)' },

  // The forms the schemas ask for (src/config/*-schema.ts).
  portNumber: { id: 'harus nomor port (1-65535)', en: 'expected a port number (1-65535)' },
  wholeNumber: { id: 'harus bilangan bulat', en: 'expected a whole number' },
  share: { id: 'harus pecahan antara 0 dan 1, mis. 0.2', en: 'expected a share between 0 and 1, e.g. 0.2' },
  trueFalse: { id: 'harus true atau false', en: 'expected true or false' },
  telegramUsers: {
    id: 'harus ID pengguna Telegram dipisah koma, mis. 12345678,87654321',
    en: 'expected Telegram user ids separated by commas, e.g. 12345678,87654321',
  },
  telegramChats: {
    id: 'harus ID chat Telegram dipisah koma (grup bernilai negatif), mis. 12345678,-1001234567890',
    en: 'expected Telegram chat ids separated by commas (groups are negative), e.g. 12345678,-1001234567890',
  },
  telegramGroups: {
    id: 'harus ID grup Telegram (bernilai negatif) dipisah koma, mis. -1001234567890',
    en: 'expected Telegram group chat ids (negative) separated by commas, e.g. -1001234567890',
  },
  phoneNumbers: {
    id: 'harus nomor HP bentuk internasional dipisah koma, mis. 6281234567890',
    en: 'expected phone numbers in international form separated by commas, e.g. 6281234567890',
  },
  emailAddresses: {
    id: 'harus alamat e-mail dipisah koma, mis. pemilik@toko.co.id,admin@toko.co.id',
    en: 'expected e-mail addresses separated by commas, e.g. pemilik@toko.co.id,admin@toko.co.id',
  },
  digestDaily: { id: 'harus jam "JJ:MM" (mis. "07:00") atau false', en: 'expected a time "HH:MM" (e.g. "07:00") or false' },
  digestWeekly: {
    id: 'harus hari (mon, tue, wed, thu, fri, sat, sun) dan jam "JJ:MM", mis. "mon 07:00", atau false',
    en: 'expected a day (mon, tue, wed, thu, fri, sat, sun) and a time "HH:MM", e.g. "mon 07:00", or false',
  },
  emailAddress: { id: 'harus alamat e-mail, mis. tokobot@toko.co.id', en: 'expected an e-mail address, e.g. tokobot@toko.co.id' },
  smtpUrlOrHost: { id: 'isi salah satu saja: SMTP_URL atau SMTP_HOST', en: 'give only one of SMTP_URL or SMTP_HOST' },
  smtpNeeded: {
    id: 'ada penerima peringatan e-mail, tetapi server SMTP belum diatur: isi SMTP_URL (atau SMTP_HOST) dan SMTP_FROM',
    en: 'there are e-mail alert recipients but no SMTP server: set SMTP_URL (or SMTP_HOST) and SMTP_FROM',
  },
  smtpFromNeeded: { id: 'isi alamat pengirim e-mail, mis. SMTP_FROM=tokobot@toko.co.id', en: 'give the sender address, e.g. SMTP_FROM=tokobot@toko.co.id' },
  phoneNumber: { id: 'harus nomor HP bentuk internasional, mis. 6281234567890', en: 'expected a phone number in international form, e.g. 6281234567890' },
  storeId: { id: 'harus 1-32 karakter a-z, 0-9 atau _', en: 'expected 1-32 characters a-z, 0-9 or _' },
  databaseName: { id: 'harus nama database biasa (a-z, 0-9, _; diawali huruf atau _)', en: 'expected a plain database name (a-z, 0-9, _; starting with a letter or _)' },
  httpToken: {
    id: 'minimal 16 karakter, mis. hasil perintah openssl rand -hex 24',
    en: 'expected at least 16 characters, e.g. the output of openssl rand -hex 24',
  },
  timeZone: {
    id: 'harus nama zona waktu seperti Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)',
    en: 'expected a time zone name such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)',
  },
  language: { id: 'harus id (Bahasa Indonesia) atau en (English)', en: 'expected id (Indonesian) or en (English)' },
  urlForm: { id: 'bukan URL; bentuk yang diharapkan {example}', en: 'not a URL; expected the form {example}' },
  urlScheme: { id: 'harus URL yang diawali {schemes}, mis. {example}', en: 'expected a URL starting with {schemes}, e.g. {example}' },
  urlHost: { id: 'URL ini tidak menyebut host; bentuk yang diharapkan {example}', en: 'the URL names no host; expected the form {example}' },
  envName: { id: 'harus nama variabel lingkungan, mis. SHOP_DB_URL', en: 'expected the name of an environment variable, e.g. SHOP_DB_URL' },
  jobId: {
    id: 'harus 1-40 karakter a-z, 0-9, _ atau - (menjadi awal nama file backup)',
    en: 'expected 1-40 characters a-z, 0-9, _ or - (it starts the file names)',
  },
  destination: {
    id: 'harus { type: local, dir }, { type: dropbox, folder }, { type: ftp, host, user, dir, passwordEnv } atau { type: sftp, host, user, dir, passwordEnv atau privateKeyPath, hostKey }',
    en: 'expected { type: local, dir }, { type: dropbox, folder }, { type: ftp, host, user, dir, passwordEnv } or { type: sftp, host, user, dir, passwordEnv or privateKeyPath, hostKey }',
  },
  hostKey: { id: 'harus sidik jari SHA256 kunci host, mis. SHA256:… (ssh-keygen -lf)', en: 'expected the host key\'s SHA256 fingerprint, e.g. SHA256:… (ssh-keygen -lf)' },
  passwordOrKey: { id: 'isi salah satu saja: passwordEnv atau privateKeyPath', en: 'give exactly one of passwordEnv or privateKeyPath' },
  passphraseForKey: { id: 'passphraseEnv hanya untuk kunci (privateKeyPath)', en: 'passphraseEnv goes with a key (privateKeyPath) only' },
  someDestination: { id: 'cantumkan minimal satu tujuan', en: 'list at least one destination' },
  urlOrUrlEnv: { id: 'isi salah satu saja: url atau urlEnv', en: 'give exactly one of url or urlEnv' },
  selfNoUrl: { id: 'job tokobot mencadangkan database ops tokobot sendiri: hapus url/urlEnv', en: 'a tokobot job backs up tokobot\'s own ops database: remove url/urlEnv' },
  selfNeedsEncryption: {
    id: 'job tokobot wajib dienkripsi (encryption: { passphraseEnv: ... }): file-nya berisi rahasia (.env, password database)',
    en: 'a tokobot job must be encrypted (encryption: { passphraseEnv: ... }): its file holds secrets (.env, database passwords)',
  },
  agentNoSelfJob: {
    id: 'agent toko tidak menjalankan job tokobot (cadangan pengaturan tokobot dibuat di kantor pusat)',
    en: 'a shop agent does not run tokobot jobs (tokobot\'s own settings are backed up at the head office)',
  },
  iposIsPostgres: { id: 'hanya job postgres yang bisa berisi database iPOS', en: 'only a postgres job can hold an iPOS database' },
  containerIsPostgres: { id: 'hanya job postgres yang menjalankan dump di dalam container', en: 'only postgres jobs run their dump inside a container' },
  folderOrDir: { id: 'isi salah satu saja: dropboxFolder atau dir', en: 'give exactly one of dropboxFolder or dir' },
  someStore: { id: 'cantumkan minimal satu toko', en: 'list at least one store' },
  telegramOrWhatsApp: { id: 'isi telegram, whatsapp, email, atau lebih dari satu', en: 'give telegram, whatsapp, email, or more than one' },

  // What loadConfig checks beyond one setting (src/config/load-config.ts, jobs-from.ts).
  fileMissing: { id: 'file {file} tidak ada', en: 'there is no file {file}' },
  fileUnreadable: { id: 'file {file} tidak bisa dibaca ({error})', en: 'cannot read {file} ({error})' },
  fileSyntax: { id: '{file} bukan {format} yang benar', en: '{file} is not valid {format}' },
  fileSyntaxAt: { id: '{file} bukan {format} yang benar: periksa baris {line}, kolom {column}', en: '{file} is not valid {format}: check line {line}, column {column}' },
  storeTwice: { id: 'ID toko "{id}" tercantum dua kali', en: 'store id "{id}" is listed twice' },
  folderDirOrRoot: {
    id: 'isi dropboxFolder atau dir, atau storeDefaults.dropboxRoot untuk semua toko',
    en: 'give dropboxFolder or dir, or storeDefaults.dropboxRoot for every store',
  },
  storeCron: {
    id: '"{value}" bukan ekspresi cron 5 kolom: menit jam tanggal bulan hari (mis. */30 * * * * untuk setiap 30 menit, 0 6-22 * * * untuk tiap jam 06:00-22:00)',
    en: '"{value}" is not a 5-field cron expression: minute hour day month weekday (e.g. */30 * * * * for every 30 minutes, 0 6-22 * * * hourly 06:00-22:00)',
  },
  recipientStore: { id: 'tidak ada toko dengan ID "{id}" di stores', en: 'no store in stores has the id "{id}"' },
  sourceDirNeeded: { id: 'wajib diisi bila SOURCE=folder (folder berisi backup .i5bu/.zip)', en: 'required when SOURCE=folder (the folder holding the .i5bu/.zip backups)' },
  dropboxFolderNeeded: {
    id: 'wajib diisi bila SOURCE=dropbox (mis. /iPOS/backup), atau daftarkan toko di TOKOBOT_CONFIG',
    en: 'required when SOURCE=dropbox (e.g. /iPOS/backup), or list stores in TOKOBOT_CONFIG',
  },
  dropboxCredentials: {
    id: 'keduanya wajib untuk Dropbox (jalankan tokobot dropbox-auth untuk mendapat token), atau DROPBOX_ACCESS_TOKEN',
    en: 'both are required for Dropbox (run tokobot dropbox-auth to get the token), or DROPBOX_ACCESS_TOKEN',
  },
  jobsDropboxCredentials: {
    id: 'tujuan dropbox butuh DROPBOX_APP_KEY dan DROPBOX_REFRESH_TOKEN (jalankan tokobot dropbox-auth), atau DROPBOX_ACCESS_TOKEN',
    en: 'a dropbox destination needs DROPBOX_APP_KEY and DROPBOX_REFRESH_TOKEN (run tokobot dropbox-auth), or DROPBOX_ACCESS_TOKEN',
  },
  syncCron: {
    id: '"{value}" bukan ekspresi cron lima bagian: menit jam tanggal bulan hari (mis. */30 * * * * untuk setiap 30 menit)',
    en: '"{value}" is not a five-field cron expression: minute hour day month weekday (e.g. */30 * * * * for every 30 minutes)',
  },
  jobCron: {
    id: '"{value}" bukan ekspresi cron lima bagian: menit jam tanggal bulan hari (mis. 0 2 * * * untuk pukul 02:00 setiap malam)',
    en: '"{value}" is not a five-field cron expression: minute hour day month weekday (e.g. 0 2 * * * for 02:00 every night)',
  },
  pgUrlNeeded: {
    id: 'wajib diisi bila RESTORE_TARGET=external (postgres://user:password@host:5432/postgres)',
    en: 'required when RESTORE_TARGET=external (postgres://user:password@host:5432/postgres)',
  },
  agentIngestNeedsWeb: {
    id: 'wajib diisi bila AGENT_INGEST=true: laporan agent toko diterima server web (mis. WEB_PORT=8080, dengan WEB_URL https://… yang dapat dijangkau PC toko)',
    en: 'required when AGENT_INGEST=true: shop agents report to the web server (e.g. WEB_PORT=8080, with a WEB_URL https://… the shop PCs can reach)',
  },
  jobTwice: { id: 'ID job "{id}" tercantum dua kali', en: 'job id "{id}" is listed twice' },
  urlEnvUnset: {
    id: 'variabel lingkungan {name} belum diisi (seharusnya berisi URL database)',
    en: 'the environment variable {name} is not set (it should hold the database URL)',
  },
  pingUrlEnvUnset: {
    id: 'variabel lingkungan {name} belum diisi (seharusnya berisi URL ping monitor, mis. https://hc-ping.com/<uuid>)',
    en: 'the environment variable {name} is not set (it should hold the monitor\'s ping URL, e.g. https://hc-ping.com/<uuid>)',
  },
  agentNotEnrolled: {
    id: 'komputer ini belum didaftarkan (file {file} tidak ada): jalankan `tokobot agent enroll URL TOKEN`',
    en: 'this computer is not enrolled yet (there is no file {file}): run `tokobot agent enroll URL TOKEN`',
  },
  headOfficeHttps: {
    id: 'http biasa ke komputer lain akan mengirim token toko tanpa enkripsi: pakai alamat https kantor pusat',
    en: 'plain http to another machine would send the store\'s token unencrypted: use the head office\'s https address',
  },
  passphraseUnset: { id: 'variabel lingkungan {name} belum diisi', en: 'the environment variable {name} is not set' },
  passphraseShort: { id: 'passphrase di {name} terlalu pendek (minimal 12 karakter)', en: 'the passphrase in {name} is too short (12 characters or more)' },
} as const;
