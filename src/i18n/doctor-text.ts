/**
 * What `tokobot doctor` says about each check (src/cli/doctor.ts), and the advice when the Bot API
 * cannot be reached (src/adapters/telegram/telegram-client.ts). What an outside system answers
 * (a server's version, an error's detail) comes in its own words.
 */
export const DOCTOR_TEXT = {
  checkConfig: { id: 'konfigurasi', en: 'config' },
  checkRestoreServer: { id: 'server restore', en: 'restore server' },
  checkBackups: { id: 'backup {store}', en: 'backups of {store}' },
  checkJob: { id: 'job backup {job}', en: 'backup job {job}' },
  checkJobServer: { id: 'tujuan {job}: {destination}', en: '{job} destination: {destination}' },
  serverAnswers: { id: 'server menjawab; {count} file di sana', en: 'the server answers; {count} file(s) there' },
  checkDisk: { id: 'disk', en: 'disk' },
  configSummary: {
    id: '{stores} toko, {jobs} job backup, {recipients} penerima peringatan; target restore {target}',
    en: '{stores} store(s), {jobs} backup job(s), {recipients} alert recipient(s); restore target {target}',
  },
  configSeeReadme: { id: '(lihat .env.example dan tabel konfigurasi di README)', en: '(see .env.example and the README\'s configuration table)' },
  noAnswerWithin: { id: 'tidak ada jawaban dalam {seconds} detik', en: 'no answer within {seconds} s' },
  noBackupsYet: {
    id: '{source} belum berisi .i5bu atau .zip: periksa path foldernya dan bahwa iPOS membuat backup di sana',
    en: '{source} holds no .i5bu or .zip yet: check the folder path and that iPOS backs up there',
  },
  backupsSeen: { id: '{source}: {count} backup, terbaru {file}, umurnya {hours} jam', en: '{source}: {count} backups, newest {file}, {hours} h old' },
  backupsStale: { id: '{text} — melewati batas {limit} jam: apakah iPOS masih membuat backup?', en: '{text} — older than the {limit} h limit: is iPOS still backing up?' },
  telegramNoToken: {
    id: 'TELEGRAM_BOT_TOKEN belum diisi: tokobot start membutuhkannya (minta ke @BotFather)',
    en: 'TELEGRAM_BOT_TOKEN is not set: tokobot start needs it (get one from @BotFather)',
  },
  telegramAnswers: { id: 'bot @{username} menjawab; {people} orang punya peran', en: 'the bot @{username} answers; {people} people have roles' },
  telegramRefusesToken: {
    id: 'Telegram menolak TELEGRAM_BOT_TOKEN: salin lagi dari @BotFather (/mybots → API Token)',
    en: 'Telegram refuses TELEGRAM_BOT_TOKEN: copy it again from @BotFather (/mybots → API Token)',
  },
  smtpAnswers: {
    id: 'server SMTP {server} menerima login tokobot; pengirim {from}; {count} penerima e-mail',
    en: 'the SMTP server {server} accepts tokobot\'s login; sender {from}; {count} e-mail recipients',
  },
  telegramUnreachable: { id: 'Bot API tidak bisa dihubungi ({reason}): {hint}', en: 'the Bot API cannot be reached ({reason}): {hint}' },
  hintInternet: { id: 'periksa koneksi internet server ini', en: 'check this server\'s internet connection' },
  hintProxy: { id: 'proxy {proxy} ({variable}): apakah tokobot diizinkan lewat?', en: 'the proxy {proxy} ({variable}): does it let tokobot through?' },
  hintNoProxy: { id: 'bila lewat proxy, isi {variable}', en: 'behind a proxy, set {variable}' },
  hintApiRoot: { id: 'TELEGRAM_API_ROOT berisi {root}: apakah server Bot API itu berjalan?', en: 'TELEGRAM_API_ROOT is {root}: is that Bot API server up?' },
  hintNoApiRoot: {
    id: 'TELEGRAM_API_ROOT tidak diisi, jadi yang dihubungi api.telegram.org milik Telegram',
    en: 'TELEGRAM_API_ROOT is not set, so Telegram\'s own api.telegram.org is asked',
  },
  noChromium: {
    id: 'tidak ada Chromium di {path}: pasang (Debian/Ubuntu: apt-get install chromium) atau isi CHROMIUM_PATH',
    en: 'there is no Chromium at {path}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH',
  },
  whatsappNotLinked: {
    id: 'belum ditautkan: tokobot start menampilkan kode QR (dan mengirimnya ke pemilik di Telegram) untuk dipindai dari HP',
    en: 'not linked yet: tokobot start prints a QR code (and sends it to the owners in Telegram) to scan from the phone',
  },
  whatsappLinked: { id: 'Chromium di {path}; sesi yang tertaut tersimpan di {session}', en: 'Chromium at {path}; a linked session is kept in {session}' },
  diskFree: { id: '{mb} MB kosong di {dir}', en: '{mb} MB free under {dir}' },
  diskLow: { id: '{text}, di bawah DISK_MIN_FREE_MB ({min}): kosongkan ruang atau pindahkan DATA_DIR', en: '{text}, below DISK_MIN_FREE_MB ({min}): free some space or move DATA_DIR' },
} as const;
