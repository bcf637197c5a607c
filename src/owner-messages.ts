import type { ErrorFacts, ErrorKind, ErrorSystem } from './errors.ts';
import type { Lang } from './i18n/lang.ts';

type Text = Record<Lang, string>;

/** Each system as a sentence names it ({name}); sentences that start with it capitalise it. */
const NAME: Record<ErrorSystem, Text> = {
  dropbox: { id: 'Dropbox', en: 'Dropbox' },
  folder: { id: 'folder backup', en: 'the backup folder' },
  ftp: { id: 'server FTP', en: 'the FTP server' },
  sftp: { id: 'server SFTP', en: 'the SFTP server' },
  telegram: { id: 'Telegram', en: 'Telegram' },
  whatsapp: { id: 'WhatsApp tokobot', en: 'tokobot\'s WhatsApp' },
  email: { id: 'server e-mail (SMTP)', en: 'the e-mail (SMTP) server' },
  postgres: { id: 'server PostgreSQL', en: 'the PostgreSQL server' },
  mysql: { id: 'server MySQL/MariaDB', en: 'the MySQL/MariaDB server' },
  docker: { id: 'Docker', en: 'Docker' },
  disk: { id: 'disk server', en: 'the server\'s disk' },
  'backup-file': { id: 'file backup', en: 'the backup file' },
  'price-list': { id: 'daftar harga', en: 'the price list' },
  'head-office': { id: 'tokobot kantor pusat', en: 'the head office\'s tokobot' },
  barcode: { id: 'foto barcode', en: 'the barcode photo' },
  tokobot: { id: 'tokobot', en: 'tokobot' },
};

/** What the owner reads for a kind, whatever the system: what is wrong, what to do. */
const KIND: Record<ErrorKind, Text> = {
  refused: {
    id: '{Name} menolak permintaan tokobot. Rincian di bawah menyebut apa yang perlu diperbaiki.',
    en: '{Name} refused what tokobot asked. The detail below says what to fix.',
  },
  unreachable: {
    id: '{Name} tidak bisa dihubungi. tokobot mencoba lagi nanti; bila terus begini, periksa apakah {name} berjalan.',
    en: '{Name} cannot be reached. tokobot tries again later; if this goes on, check that {name} is running.',
  },
  busy: {
    id: 'Pekerjaan yang sama sedang berjalan di {name}. Tunggu sampai selesai, lalu coba lagi.',
    en: 'The same work is already running in {name}. Wait for it to finish, then try again.',
  },
  interrupted: {
    id: 'Pekerjaan ini dihentikan sebelum selesai (tokobot berhenti, waktunya habis, atau dibatalkan). Jalankan lagi nanti.',
    en: 'This work was stopped before it finished (tokobot stopped, it ran out of time, or it was cancelled). Run it again later.',
  },
  corrupt: {
    id: 'Data dari {name} rusak atau tidak lengkap. Ulangi nanti; bila tetap rusak, periksa sumbernya.',
    en: 'The data from {name} is damaged or incomplete. Try again later; if it stays damaged, check where it comes from.',
  },
  config: {
    id: 'Pengaturan {name} perlu diperbaiki. Rincian di bawah menyebut apa yang perlu diubah.',
    en: 'The settings for {name} need fixing. The detail below says what to change.',
  },
  usage: {
    id: 'Perintah ini tidak bisa dipakai seperti itu. Rincian di bawah menunjukkan caranya.',
    en: 'This command cannot be used like that. The detail below shows how.',
  },
};

/** Where the kind's sentence says too little for a system. */
const SPECIFIC: Partial<Record<`${ErrorKind}/${ErrorSystem}`, Text>> = {
  'unreachable/dropbox': {
    id: 'Dropbox tidak bisa dihubungi atau sedang membatasi permintaan. Periksa koneksi internet server; tokobot mencoba lagi nanti.',
    en: 'Dropbox cannot be reached or is limiting requests. Check the server\'s internet connection; tokobot tries again later.',
  },
  'refused/dropbox': {
    id: 'Dropbox menolak permintaan tokobot. Periksa kunci dan izin aplikasi Dropbox, foldernya, dan ruang kosongnya.',
    en: 'Dropbox refused what tokobot asked. Check the Dropbox app\'s keys and permissions, the folder, and the free space.',
  },
  'refused/folder': {
    id: 'Folder backup tidak bisa dipakai. Periksa bahwa foldernya ada dan tokobot boleh membacanya.',
    en: 'The backup folder cannot be used. Check that it exists and that tokobot may read it.',
  },
  'refused/ftp': {
    id: 'Server FTP menolak tokobot. Periksa user dan password, foldernya, sertifikatnya, dan ruang kosongnya.',
    en: 'The FTP server refused tokobot. Check the user and password, the folder, its certificate, and the free space.',
  },
  'refused/sftp': {
    id: 'Server SFTP menolak tokobot atau kunci host-nya tidak cocok. Periksa kunci host, user dan password atau kuncinya, foldernya, dan ruang kosongnya.',
    en: 'The SFTP server refused tokobot, or its host key does not match. Check the host key, the user and password or key, the folder, and the free space.',
  },
  'unreachable/telegram': {
    id: 'Telegram tidak bisa dihubungi. Periksa koneksi internet server; pesan dikirim lagi nanti.',
    en: 'Telegram cannot be reached. Check the server\'s internet connection; the message goes again later.',
  },
  'refused/telegram': {
    id: 'Telegram menolak pesan tokobot. Apakah bot diblokir atau dikeluarkan dari chat itu?',
    en: 'Telegram refused tokobot\'s message. Has the bot been blocked or removed from that chat?',
  },
  'unreachable/whatsapp': {
    id: 'WhatsApp tokobot tidak terhubung. Periksa HP yang tertaut (internet, WhatsApp terbuka) atau tautkan ulang dengan kode QR.',
    en: 'tokobot\'s WhatsApp is not connected. Check the linked phone (internet, WhatsApp open) or link it again with the QR code.',
  },
  'refused/whatsapp': {
    id: 'WhatsApp tidak bisa mengirim ke nomor ini. Periksa nomornya di pengaturan (bentuk internasional, mis. 6281234567890).',
    en: 'WhatsApp cannot send to this number. Check it in the settings (international form, e.g. 6281234567890).',
  },
  'unreachable/email': {
    id: 'Server e-mail (SMTP) tidak bisa dihubungi. Periksa SMTP_URL (atau SMTP_HOST dan SMTP_PORT) dan koneksi internet; e-mail dikirim lagi nanti.',
    en: 'The e-mail (SMTP) server cannot be reached. Check SMTP_URL (or SMTP_HOST and SMTP_PORT) and the internet connection; the e-mail goes again later.',
  },
  'refused/email': {
    id: 'Server e-mail (SMTP) menolak e-mail tokobot. Periksa alamat penerima, SMTP_FROM, serta nama pengguna dan kata sandi SMTP.',
    en: 'The e-mail (SMTP) server refused tokobot\'s e-mail. Check the recipient\'s address, SMTP_FROM, and the SMTP user name and password.',
  },
  'unreachable/postgres': {
    id: 'Server PostgreSQL tokobot tidak bisa dihubungi. Periksa apakah server itu (atau Docker) berjalan; tokobot mencoba lagi nanti.',
    en: 'tokobot\'s PostgreSQL server cannot be reached. Check that it (or Docker) is running; tokobot tries again later.',
  },
  'unreachable/docker': {
    id: 'Docker tidak berjalan atau wadah (container) database mati. Jalankan Docker; tokobot mencoba lagi nanti.',
    en: 'Docker is not running or the database container is down. Start Docker; tokobot tries again later.',
  },
  'refused/disk': {
    id: 'Disk server penuh atau tidak boleh ditulis. Kosongkan ruang disk (atau perbaiki izin foldernya), lalu coba lagi.',
    en: 'The server\'s disk is full or may not be written. Free some space (or fix the folder\'s permissions), then try again.',
  },
  'corrupt/backup-file': {
    id: 'File backup rusak atau tidak lengkap, jadi tidak dipakai. Buat backup baru (atau tunggu yang berikutnya), lalu coba lagi.',
    en: 'The backup file is damaged or incomplete, so it was not used. Make a new backup (or wait for the next one), then try again.',
  },
  'refused/backup-file': {
    id: 'File backup ini tidak bisa dipakai tokobot. Rincian di bawah menyebut sebabnya.',
    en: 'tokobot cannot use this backup file. The detail below says why.',
  },
  'refused/price-list': {
    id: 'Daftar harga baru gagal diperiksa dan tidak diterbitkan; daftar lama tetap dipakai. Periksa data di iPOS.',
    en: 'The new price list failed its checks and was not published; the previous list stays in use. Check the data in iPOS.',
  },
  'refused/barcode': {
    id: 'tokobot tidak membaca foto ini. Rincian di bawah menyebut sebabnya.',
    en: 'tokobot does not read this photo. The detail below says why.',
  },
  'usage/barcode': {
    id: 'Yang dikirim bukan foto yang bisa dibaca tokobot. Kirim foto barcode (JPEG, PNG atau WebP).',
    en: 'What was sent is not a photo tokobot can read. Send a photo of the barcode (JPEG, PNG or WebP).',
  },
  'unreachable/barcode': {
    id: 'Foto tidak bisa diambil dari chat. Kirim fotonya lagi.',
    en: 'The photo could not be fetched from the chat. Send it again.',
  },
  'corrupt/barcode': {
    id: 'Foto ini rusak atau terpotong. Kirim fotonya lagi.',
    en: 'This photo is damaged or cut short. Send it again.',
  },
  'busy/tokobot': {
    id: 'Pekerjaan ini sedang berjalan. Tunggu sampai selesai, lalu coba lagi.',
    en: 'This work is already running. Wait for it to finish, then try again.',
  },
  'config/tokobot': {
    id: 'Pengaturan tokobot belum benar. Perbaiki yang disebut di bawah, lalu jalankan lagi.',
    en: 'tokobot\'s settings are not right. Fix what the detail below names, then run it again.',
  },
};

// tokobot is written in lower case, also at the start of a sentence.
const capital = (s: string) => (s.startsWith('tokobot') ? s : s.charAt(0).toUpperCase() + s.slice(1));

/** The owner's headline for a failure: what is wrong and what to do, in their language. The error's message is the detail. */
export function ownerMessage(facts: ErrorFacts, lang: Lang): string {
  const text = SPECIFIC[`${facts.kind}/${facts.system}`] ?? KIND[facts.kind];
  const name = NAME[facts.system][lang];
  return text[lang].replace(/\{Name\}/g, capital(name)).replace(/\{name\}/g, name);
}

/**
 * The headline's first sentence, without its full stop: what is wrong, for a line that goes on
 * with the detail (the command line's one-line failure). The rest of the headline points to the
 * detail or repeats what to do, which the detail says for this case.
 */
export function ownerWhat(facts: ErrorFacts, lang: Lang): string {
  return ownerMessage(facts, lang).split(/(?<=\.)\s/)[0]!.replace(/\.$/, '');
}
