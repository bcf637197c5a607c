/**
 * What a shop PC is told while it is set up as an agent: `tokobot agent enroll` (src/cli/agent-enroll.ts)
 * and `tokobot doctor` on an agent (src/cli/agent-doctor.ts). What the head office or a server
 * answers comes in its own words.
 */
export const AGENT_SETUP_TEXT = {
  // tokobot agent enroll: what is refused before anything is asked.
  enrollUrlForm: {
    id: '"{url}" bukan alamat web: berikan alamat https kantor pusat (WEB_URL-nya), mis. https://kantor.contoh.co.id',
    en: '"{url}" is not a web address: give the head office\'s https address (its WEB_URL), e.g. https://office.example.com',
  },
  enrollUrlScheme: {
    id: 'alamat kantor pusat harus diawali https:// (http:// hanya ke komputer ini sendiri, untuk uji coba), bukan {scheme}//',
    en: 'the head office\'s address must start with https:// (http:// only to this computer itself, for tests), not {scheme}//',
  },
  enrollUrlExtra: {
    id: 'alamat kantor pusat tidak boleh berisi nama pengguna, sandi, ? atau #: berikan alamatnya saja',
    en: 'the head office\'s address must not hold a user name, password, ? or #: give the address alone',
  },
  enrollPlainHttp: {
    id: 'http://{host} adalah komputer lain: token toko akan terkirim tanpa enkripsi. Pakai alamat https:// kantor pusat (http:// hanya untuk localhost/127.0.0.1)',
    en: 'http://{host} is another computer: the store\'s token would cross the network unencrypted. Use the head office\'s https:// address (http:// only for localhost/127.0.0.1)',
  },
  enrollTokenForm: {
    id: 'token itu tidak seperti yang dicetak tokobot store add (20 sampai 200 karakter, tanpa spasi): salin utuh',
    en: 'that token does not look like one tokobot store add prints (20 to 200 characters, no spaces): copy it whole',
  },
  enrollCron: {
    id: '--schedule "{value}" bukan jadwal cron (5 bagian, mis. "0 21 * * *" untuk pukul 21.00 setiap hari)',
    en: '--schedule "{value}" is not a cron schedule (5 fields, e.g. "0 21 * * *" for 21:00 every day)',
  },
  enrollExisting: {
    id: 'file agen {file} sudah ada tetapi tidak bisa dipakai: {why}. Perbaiki atau pindahkan file itu, lalu daftar lagi. Tidak ada yang ditulis.',
    en: 'the agent file {file} is there but cannot be used: {why}. Fix it or move it away, then enrol again. Nothing was written.',
  },
  // … and what the head office answered.
  enrollTokenRefused: {
    id: '{said} Tidak ada yang ditulis. Minta token baru ke kantor pusat (tokobot store add ID di sana, atau /store di chat), lalu daftar lagi.',
    en: '{said} Nothing was written. Ask the head office for a new token (tokobot store add ID there, or /store in the chat), then enrol again.',
  },
  enrollRefused: { id: '{said} Tidak ada yang ditulis.', en: '{said} Nothing was written.' },
  enrollUnreachable: { id: '{said} Tidak ada yang ditulis: daftar lagi setelah kantor pusat bisa dihubungi.', en: '{said} Nothing was written: enrol again once the head office answers.' },
  enrollNoDestination: {
    id: 'kantor pusat tidak punya folder Dropbox untuk toko {store}, jadi backup butuh folder lokal: berikan --dir PATH (disk kedua atau folder NAS). Tidak ada yang ditulis.',
    en: 'the head office has no Dropbox folder for the store {store}, so the backup needs a local folder: give --dir PATH (a second disk or a NAS folder). Nothing was written.',
  },
  enrollInvalid: { id: 'hasilnya bukan file agen yang sah ({why}); tidak ada yang ditulis', en: 'the result is not a valid agent file ({why}); nothing was written' },

  // tokobot agent enroll: what was written, and what comes next.
  enrolled: { id: 'Komputer ini terdaftar sebagai agen toko {store} ({name}) di {url}.', en: 'This computer is enrolled as the agent of the store {store} ({name}) at {url}.' },
  enrolledFile: { id: 'file', en: 'file' },
  enrolledFileNote: { id: '{file} (mode 600: berisi token toko)', en: '{file} (mode 600: it holds the store\'s token)' },
  enrolledInstance: { id: 'instalasi', en: 'install' },
  instanceKept: { id: '{id} (tetap: toko yang sama seperti sebelumnya)', en: '{id} (kept: the same store as before)' },
  instanceNew: { id: '{id} (baru)', en: '{id} (new)' },
  enrolledJob: { id: 'job backup', en: 'backup job' },
  enrolledSchedule: { id: 'jadwal', en: 'schedule' },
  scheduleAt: { id: '"{cron}" (waktu {zone})', en: '"{cron}" ({zone} time)' },
  enrolledDatabase: { id: 'database', en: 'database' },
  databaseFromEnv: { id: 'dari variabel lingkungan {name}', en: 'from the environment variable {name}' },
  databaseGiven: { id: '{where} (URL-nya ada di file)', en: '{where} (its URL is in the file)' },
  enrolledDestinations: { id: 'tujuan', en: 'destinations' },
  enrolledOtherJobs: { id: 'job lain (tetap)', en: 'other jobs (kept)' },
  nextSteps: { id: 'Berikutnya:', en: 'Next:' },
  nextDatabaseUrl: {
    id: 'Isi {name} dengan database iPOS, mis. {name}=postgres://USER:SANDI@127.0.0.1:5432/DATABASE (di .env di samping tokobot, atau di lingkungan layanannya).',
    en: 'Set {name} to the iPOS database, e.g. {name}=postgres://USER:PASSWORD@127.0.0.1:5432/DATABASE (in the .env beside tokobot, or the service\'s environment).',
  },
  nextDropbox: {
    id: 'Dropbox: isi DROPBOX_APP_KEY dan DROPBOX_REFRESH_TOKEN (tokobot dropbox-auth mencetaknya).',
    en: 'Dropbox: set DROPBOX_APP_KEY and DROPBOX_REFRESH_TOKEN (tokobot dropbox-auth prints them).',
  },
  nextTimeZone: {
    id: 'Kantor pusat mencatat toko ini di zona {zone}, sedangkan di sini STORE_TZ={here}: isi STORE_TZ={zone} agar jadwal dan waktunya sama.',
    en: 'The head office keeps this store in the zone {zone} while STORE_TZ is {here} here: set STORE_TZ={zone} so that schedules and times agree.',
  },
  nextDoctor: {
    id: 'Jalankan tokobot doctor: memeriksa database, pg_dump, tujuan backup, kantor pusat dan disk.',
    en: 'Run tokobot doctor: it checks the database, pg_dump, the destinations, the head office and the disk.',
  },
  nextService: {
    id: 'Jalankan tokobot agent sebagai layanan (unit systemd di Linux, layanan Windows di Windows): lihat bagian "Shop agent" di README.',
    en: 'Run tokobot agent as a service (a systemd unit on Linux, a Windows service on Windows): see the README\'s "Shop agent".',
  },

  // tokobot doctor on an agent.
  checkAgentFile: { id: 'file agen', en: 'agent file' },
  checkHeadOffice: { id: 'kantor pusat', en: 'head office' },
  checkPgDump: { id: 'pg_dump untuk {job}', en: 'pg_dump for {job}' },
  checkDestination: { id: 'tujuan {job}: {destination}', en: '{job} destination: {destination}' },
  checkOutbox: { id: 'laporan ke kantor pusat', en: 'reports to the head office' },
  agentFileSummary: {
    id: '{file}: toko {store}, kantor pusat {host}, {jobs} job backup',
    en: '{file}: store {store}, head office {host}, {jobs} backup job(s)',
  },
  headOfficeAnswers: {
    id: 'tokobot {version} di {host} menjawab; token berlaku untuk toko {store} ({name})',
    en: 'tokobot {version} at {host} answers; the token is good for the store {store} ({name})',
  },
  headOfficeOtherStore: {
    id: 'token ini untuk toko {given}, padahal file agen menyebut {store}: daftar ulang dengan token toko ini (tokobot agent enroll URL TOKEN)',
    en: 'the token is for the store {given} while the agent file says {store}: enrol again with this store\'s token (tokobot agent enroll URL TOKEN)',
  },
  headOfficeTokenRefused: {
    id: '{said} Agen tidak bisa melapor sampai ada token baru: minta ke kantor pusat (tokobot store add {store}, atau /store di chat), lalu tokobot agent enroll URL TOKEN_BARU.',
    en: '{said} The agent cannot report until it has a new token: ask the head office (tokobot store add {store}, or /store in the chat), then tokobot agent enroll URL NEW_TOKEN.',
  },
  headOfficeUnreachable: {
    id: '{said} Agen tetap membuat backup dan menyimpan laporannya sampai kantor pusat bisa dihubungi.',
    en: '{said} The agent keeps backing up and holds its reports until the head office answers.',
  },
  pgDumpFound: { id: 'pg_dump {version} di {path} ({from}); server PostgreSQL {server}', en: 'pg_dump {version} at {path} ({from}); PostgreSQL server {server}' },
  pgDumpNoServer: {
    id: 'pg_dump {version} di {path} ({from}); versi server belum diketahui sampai databasenya menjawab',
    en: 'pg_dump {version} at {path} ({from}); the server\'s version is unknown until its database answers',
  },
  pgDumpFromBinDir: { id: 'dari PG_BIN_DIR', en: 'from PG_BIN_DIR' },
  pgDumpFromPath: { id: 'dari PATH; PG_BIN_DIR tidak diisi', en: 'from the PATH; PG_BIN_DIR is not set' },
  pgDumpTooOld: {
    id: '{text}: pg_dump lebih tua dari server, jadi dump akan gagal. Pasang pg_dump {major} atau lebih baru, atau isi PG_BIN_DIR dengan folder bin PostgreSQL {major}+ (mis. yang dipasang bersama iPOS)',
    en: '{text}: pg_dump is older than the server, so the dump would fail. Install pg_dump {major} or newer, or set PG_BIN_DIR to the bin folder of a PostgreSQL {major}+ (such as the one iPOS installed)',
  },
  pgDumpMissing: {
    id: 'tidak ada pg_dump di {path} ({from}): pasang PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client) atau isi PG_BIN_DIR dengan folder bin PostgreSQL',
    en: 'there is no pg_dump at {path} ({from}): install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client) or set PG_BIN_DIR to PostgreSQL\'s bin folder',
  },
  pgDumpInContainer: { id: 'pg_dump milik kontainer {container} (diperiksa saat backup pertama)', en: 'the container {container}\'s own pg_dump (checked at the first run)' },
  folderWritable: { id: 'bisa ditulisi', en: 'writable' },
  folderWillBeMade: { id: 'dibuat saat backup pertama (di {parent}, yang bisa ditulisi)', en: 'made at the first run (in {parent}, which is writable)' },
  folderNotWritable: {
    id: 'tokobot tidak bisa menulis ke {dir} ({code}): perbaiki pemilik atau izin foldernya, atau pilih folder lain (--dir saat enroll)',
    en: 'tokobot cannot write to {dir} ({code}): fix the folder\'s owner or permissions, or choose another folder (--dir when enrolling)',
  },
  remoteNotChecked: { id: 'belum diperiksa di sini; jalankan backup sekali untuk mengujinya', en: 'not checked here; run a backup once to test it' },
  dropboxAnswers: { id: 'Dropbox menjawab; {count} file di sana', en: 'Dropbox answers; {count} file(s) there' },
  outboxNotRun: {
    id: 'agen belum pernah berjalan (tidak ada {file}): jalankan tokobot agent, sebaiknya sebagai layanan',
    en: 'the agent has not run yet (there is no {file}): start tokobot agent, best as a service',
  },
  outboxUnreadable: { id: '{file} tidak bisa dibaca ({why}); agen akan menulisnya lagi', en: '{file} cannot be read ({why}); the agent writes it again' },
  outboxState: {
    id: '{pending} laporan menunggu, {rejected} ditolak; terakhir terkirim {sent}',
    en: '{pending} report(s) waiting, {rejected} refused; last sent {sent}',
  },
  outboxNeverSent: { id: 'belum pernah', en: 'never' },
  outboxLastError: { id: 'kesalahan terakhir ({kind}): {message}', en: 'last error ({kind}): {message}' },
  outboxRejected: {
    id: 'kantor pusat menolak {rejected} laporan: lihat log agen (tokobot agent) untuk alasannya',
    en: 'the head office refused {rejected} report(s): the agent\'s log (tokobot agent) says why',
  },
} as const;
