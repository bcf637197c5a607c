import { cancelReply } from '../cancel-replies.ts';
import { exportReply, historyReply, statusReply, syncReply } from '../ops-replies.ts';
import type { ChatCommand } from './command.ts';
import { reportReply } from '../report-replies.ts';
import { unknownStore } from './settings.ts';

export const status: ChatCommand = {
  name: 'status', aliases: [], role: 'staff', menu: true,
  help: { id: 'status backup dan sync', en: 'backup and sync status' },
  run: ({ deps, who }) => statusReply(deps, who),
};

export const history: ChatCommand = {
  name: 'history', aliases: ['riwayat'], role: 'staff', menu: true,
  help: { id: 'riwayat sync', en: 'sync history' },
  run: ({ deps, who }) => historyReply(deps, who),
};

/** /sync [STORE]: the person's store, or the one named. */
export const sync: ChatCommand = {
  name: 'sync', aliases: [], role: 'admin', menu: true,
  help: { id: 'sync sekarang', en: 'sync now' },
  run: ({ deps, who, args }) => {
    const store = args ? deps.stores.find((s) => s.id === args.toLowerCase()) : who.store;
    return store ? syncReply(deps, who, store) : unknownStore(deps, who, args);
  },
};

/** The CSV holds cost prices (hargapokok): owners only. */
export const exportList: ChatCommand = {
  name: 'export', aliases: [], role: 'owner', menu: true,
  help: { id: 'kirim daftar harga (Excel; /export csv: CSV)', en: 'send the price list (Excel; /export csv: CSV)' },
  run: ({ deps, who, args }) => exportReply(deps, who, args),
};

/** /batal NAME: stops a running sync or backup of that store or job (what was kept is said); owners only, as it throws away a run's work. */
export const cancel: ChatCommand = {
  name: 'batal', aliases: ['cancel'], role: 'owner', menu: true,
  help: { id: 'hentikan sync atau backup yang berjalan: /batal NAMA', en: 'stop a running sync or backup: /cancel NAME' },
  run: ({ deps, who, args }) => cancelReply(deps, who, args),
};

/** /report [day|week]: the digest on demand, with its chart and PDF; owners and admins (it tells every store's runs and disks). */
export const report: ChatCommand = {
  name: 'report', aliases: ['laporan'], role: 'admin', menu: true,
  help: { id: 'laporan 24 jam atau 7 hari terakhir, dengan grafik dan PDF: /laporan hari|minggu', en: 'report of the last 24 hours or 7 days, with chart and PDF: /report day|week' },
  run: ({ deps, who, args }) => reportReply(deps, who, args),
};
