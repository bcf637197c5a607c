import type { Lang } from '../pipeline/chat-state.ts';

export type { Lang };

/** Every sentence the bot says, in Indonesian (the default) and English. */
const text = {
  noMatch: { id: 'Tidak ada barang yang cocok dengan "{q}".', en: 'No item matches "{q}".' },
  didYouMean: { id: 'Mungkin maksud Anda: {s}', en: 'Did you mean: {s}' },
  pageOf: { id: '{from}–{to} dari {total}', en: '{from}–{to} of {total}' },
  noList: { id: 'Daftar harga toko ini belum ada: belum pernah sync berhasil.', en: 'This store has no price list yet: no successful sync so far.' },
  refused: { id: 'Maaf, Anda belum terdaftar untuk bot ini. Minta pemilik toko menambahkan ID Telegram Anda: {id}', en: 'Sorry, you are not registered for this bot. Ask the shop owner to add your Telegram ID: {id}' },
  privateOnly: { id: 'Perintah ini tidak dijawab di grup (semua anggota bisa membacanya). Kirim ke bot lewat chat pribadi.', en: 'This command is not answered in a group (everyone in it can read the answer). Send it to the bot in a private chat.' },
  notAllowed: { id: 'Maaf, perintah ini hanya untuk {role}.', en: 'Sorry, this command is for {role} only.' },
  tooFast: { id: 'Terlalu banyak pesan. Coba lagi sebentar lagi.', en: 'Too many messages. Please try again in a moment.' },
  apology: { id: 'Maaf, terjadi kesalahan. Kode referensi: {ref}', en: 'Sorry, something went wrong. Reference: {ref}' },
  whoami: { id: 'ID Telegram Anda: {id}\nPeran: {role}', en: 'Your Telegram ID: {id}\nRole: {role}' },
  groupId: { id: 'ID grup ini: {id} (untuk TELEGRAM_OWNER_GROUPS jika hanya pemilik yang ada di grup ini)', en: 'This group\'s ID: {id} (for TELEGRAM_OWNER_GROUPS if only owners are in this group)' },
  strangerToOwner: { id: 'Pengguna belum terdaftar menghubungi bot: {name} (ID {id}). Tambahkan ID ini ke TELEGRAM_STAFF jika boleh.', en: 'An unregistered user contacted the bot: {name} (ID {id}). Add this ID to TELEGRAM_STAFF if they may use it.' },
  langSet: { id: 'Bahasa: Indonesia.', en: 'Language: English.' },
  storeSet: { id: 'Toko dipilih: {store}.', en: 'Store selected: {store}.' },
  pickStore: { id: 'Pilih toko:', en: 'Pick a store:' },
  unknownStore: { id: 'Toko "{store}" tidak ada. Pilihan: {list}.', en: 'There is no store "{store}". Choose from: {list}.' },
  syncStarted: { id: 'Sync {store} dimulai…', en: 'Sync of {store} started…' },
  syncBusy: { id: 'Sync {store} sedang berjalan: {stage}.', en: 'A sync of {store} is already running: {stage}.' },
  syncDone: { id: 'Sync {store} berhasil: {rows} baris harga dari {file}.', en: 'Sync of {store} succeeded: {rows} price rows from {file}.' },
  syncSame: { id: 'Sync {store}: tidak ada backup baru ({file} sudah dipakai).', en: 'Sync of {store}: no new backup ({file} is already in use).' },
  syncFailed: { id: 'Sync {store} gagal saat {stage}: {error}', en: 'Sync of {store} failed during {stage}: {error}' },
  noExport: { id: 'Belum ada file daftar harga untuk {store}.', en: 'There is no price list file for {store} yet.' },
  exportCaption: { id: 'Daftar harga {store} ({rows} baris)', en: 'Price list of {store} ({rows} rows)' },
  unknownSystem: { id: 'Barang tidak masuk daftar harga karena sistemhargajual bukan O, S, L atau J: {n} (mis. {examples}). Perbaiki di iPOS.', en: 'Items left out of the price list because their sistemhargajual is not O, S, L or J: {n} (e.g. {examples}). Correct them in iPOS.' },
  oddFlags: { id: 'Barang dengan statusjual/statushapus selain Y/N, tetap masuk daftar harga: {n} (mis. {examples}).', en: 'Items with a statusjual/statushapus other than Y/N, kept in the price list: {n} (e.g. {examples}).' },
  noRuns: { id: 'Belum ada riwayat sync.', en: 'No sync history yet.' },
  stopping: { id: 'Bot sedang berhenti; coba lagi sebentar lagi.', en: 'The bot is shutting down; try again in a moment.' },
  expired: { id: 'Tombol ini sudah kedaluwarsa; kirim pencarian lagi.', en: 'This button has expired; send the search again.' },
  noJobs: { id: 'Belum ada job backup. Tambahkan bagian jobs di file konfigurasi (lihat README).', en: 'No backup jobs are configured. Add a jobs section to the config file (see the README).' },
  pickJob: { id: 'Backup yang mana?', en: 'Which backup?' },
  unknownJob: { id: 'Job backup "{job}" tidak ada. Pilihan: {list}.', en: 'There is no backup job "{job}". Choose from: {list}.' },
  backupStarted: { id: 'Backup {job} dimulai…', en: 'Backup {job} started…' },
  backupBusy: { id: 'Backup {job} sedang berjalan: {stage}.', en: 'Backup {job} is already running: {stage}.' },
  backupDone: { id: 'Backup {job} berhasil: {file}, {size}.', en: 'Backup {job} succeeded: {file}, {size}.' },
  backupFailed: { id: 'Backup {job} GAGAL: {error}', en: 'Backup {job} FAILED: {error}' },
  backupsTitle: { id: 'Backup', en: 'Backups' },
  cancelWhich: { id: 'Sebutkan toko atau job backup yang dihentikan: /batal NAMA. Sedang berjalan: {list}.', en: 'Name the store or backup job to stop: /cancel NAME. Running now: {list}.' },
  cancelIdle: { id: 'Bot ini tidak sedang menjalankan sync atau backup.', en: 'This bot is running no sync or backup.' },
  cancelNone: { id: 'Bot ini tidak sedang menjalankan sync atau backup "{name}".', en: 'This bot is running no sync or backup called "{name}".' },
  cancelling: { id: '{kind} {name} sedang dihentikan (tahap {stage})…', en: '{kind} {name} is being stopped (stage {stage})…' },
  cancelDone: { id: '{kind} {name} dihentikan: {error}', en: '{kind} {name} stopped: {error}' },
  cancelLate: { id: '{kind} {name} sudah selesai sebelum sempat dihentikan.', en: '{kind} {name} finished before it could be stopped.' },
} as const;

export type TextKey = keyof typeof text;

export function t(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  return text[key][lang].replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? `{${k}}`));
}
