/**
 * The head office's side of shop agents: what the ingest API answers an agent (the agent logs
 * it and `tokobot doctor` shows it to whoever looks after the shop PC), and `tokobot store`'s lines.
 */
export const AGENT_INGEST_TEXT = {
  ingestTokenMissing: {
    id: 'Permintaan tanpa token toko (Authorization: Bearer …). Jalankan tokobot agent enroll URL TOKEN di PC toko dengan token dari kantor pusat (tokobot store add TOKO).',
    en: 'The request has no store token (Authorization: Bearer …). Run tokobot agent enroll URL TOKEN on the shop PC with a token from the head office (tokobot store add STORE).',
  },
  ingestTokenUnknown: {
    id: 'Kantor pusat tidak mengenal token ini. Minta token baru ke kantor pusat (tokobot store add TOKO), lalu jalankan tokobot agent enroll lagi di PC toko.',
    en: 'The head office does not know this token. Ask the head office for a new one (tokobot store add STORE), then run tokobot agent enroll again on the shop PC.',
  },
  ingestTokenRevoked: {
    id: 'Token toko {store} sudah dicabut di kantor pusat. Minta token baru (tokobot store add {store}), lalu jalankan tokobot agent enroll lagi di PC toko.',
    en: 'The token of store {store} was revoked at the head office. Ask for a new one (tokobot store add {store}), then run tokobot agent enroll again on the shop PC.',
  },
  ingestStoreUnknown: {
    id: 'Toko {store} tidak ada lagi di konfigurasi kantor pusat. Kantor pusat perlu menambahkannya ke stores (TOKOBOT_CONFIG) dan memulai ulang tokobot.',
    en: 'Store {store} is no longer in the head office\'s config. The head office must add it to stores (TOKOBOT_CONFIG) and restart tokobot.',
  },
  ingestWrongStore: {
    id: 'Token ini milik toko {store}, bukan {claimed}: laporan ditolak. Periksa store di agent.json PC toko, atau jalankan tokobot agent enroll dengan token toko yang benar.',
    en: 'This token belongs to store {store}, not {claimed}: the reports are refused. Check store in the shop PC\'s agent.json, or run tokobot agent enroll with the right store\'s token.',
  },
  ingestBadReport: {
    id: 'Laporan tidak sesuai protokol (lihat issues). Perbarui tokobot di PC toko ke versi kantor pusat ({version}).',
    en: 'The report does not follow the protocol (see issues). Update tokobot on the shop PC to the head office\'s version ({version}).',
  },
  ingestTooLarge: {
    id: 'Permintaan lebih besar dari {max} KB. Agent mengirim laporan dalam batch lebih kecil; perbarui tokobot di PC toko.',
    en: 'The request is larger than {max} KB. The agent sends its reports in smaller batches; update tokobot on the shop PC.',
  },
  ingestRateLimited: {
    id: 'Terlalu banyak permintaan. Coba lagi dalam {seconds} detik (agent mengulang sendiri; tidak ada laporan yang hilang).',
    en: 'Too many requests. Try again in {seconds} s (the agent retries by itself; no report is lost).',
  },
  ingestBusy: {
    id: 'Kantor pusat tidak dapat menyimpan laporan sekarang (database ops). Agent mengulang nanti; tidak ada laporan yang hilang.',
    en: 'The head office cannot store reports now (its ops database). The agent retries later; no report is lost.',
  },

  // tokobot store add / revoke / list
  cliStoreTokenMade: {
    id: 'Token agent untuk toko {store} ({name}), hanya ditampilkan sekali ini (kantor pusat hanya menyimpan hash-nya):',
    en: 'The agent token of store {store} ({name}), shown this once only (the head office keeps only its hash):',
  },
  cliStoreEnrollHint: { id: 'Jalankan di PC toko:', en: 'Run on the shop PC:' },
  cliStoreOlderLive: {
    id: 'Toko ini masih punya {count} token lama yang aktif; tetap berlaku sampai dicabut (tokobot store revoke {store}, lalu store add lagi untuk PC yang dipakai).',
    en: 'This store still has {count} older live token(s); they stay valid until revoked (tokobot store revoke {store}, then store add again for the PC in use).',
  },
  cliStoreIngestOff: {
    id: 'Perhatian: AGENT_INGEST belum true (atau WEB_PORT kosong): kantor pusat ini belum menerima laporan agent.',
    en: 'Note: AGENT_INGEST is not true (or WEB_PORT is unset): this head office takes no agent reports yet.',
  },
  cliStoreRevokedCount: { id: '{count} token toko {store} dicabut. Agent-nya ditolak mulai permintaan berikutnya.', en: '{count} token(s) of store {store} revoked. Its agent is refused from its next request.' },
  cliStoreNothingToRevoke: { id: 'Toko {store} tidak punya token aktif.', en: 'Store {store} has no live token.' },
  cliStoreNotConfigured: { id: '(tidak ada lagi di konfigurasi)', en: '(no longer in the config)' },
  cliStoreNoTokens: { id: 'belum ada token (tokobot store add {store})', en: 'no token yet (tokobot store add {store})' },
  cliStoreTokenLine: {
    id: 'token #{id} dibuat {created} oleh {by}, terakhir dipakai {used}, {state}',
    en: 'token #{id} made {created} by {by}, last used {used}, {state}',
  },
  cliStoreTokenLive: { id: 'aktif', en: 'live' },
  cliStoreTokenRevokedAt: { id: 'dicabut {at}', en: 'revoked {at}' },
  cliStoreNever: { id: 'belum pernah', en: 'never' },
  cliStoreAgentLine: {
    id: 'agent {host} (tokobot {version}), laporan terakhir {report}, detak terakhir {beat}, jam agent {skew}',
    en: 'agent {host} (tokobot {version}), last report {report}, last heartbeat {beat}, agent clock {skew}',
  },
  cliStoreNoAgent: { id: 'belum ada laporan agent', en: 'no agent report yet' },
} as const;
