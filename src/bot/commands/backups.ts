import { alertsReply } from '../alert-replies.ts';
import { backupReply, jobsReply } from '../backup-replies.ts';
import type { ChatCommand } from './command.ts';

/** /backup: the jobs as buttons, or /backup JOB to run one at once. */
export const backup: ChatCommand = {
  name: 'backup', aliases: ['cadangan'], role: 'admin', menu: true,
  help: { id: 'backup database sekarang', en: 'back up a database now' },
  run: ({ deps, who, args, buttons }) => backupReply(deps, who, args, buttons),
  presses: { backup: ({ deps, who, buttons }, b) => backupReply(deps, who, b.job, buttons) },
};

export const jobs: ChatCommand = {
  name: 'jobs', aliases: ['jadwal'], role: 'admin', menu: true,
  help: { id: 'jadwal dan hasil backup', en: 'backup schedules and results' },
  run: ({ deps, who }) => jobsReply(deps, who),
};

export const alerts: ChatCommand = {
  name: 'alerts', aliases: ['peringatan'], role: 'admin', menu: true,
  help: { id: 'peringatan terbuka; /alerts mute all 4; /alerts test', en: 'open alerts; /alerts mute all 4; /alerts test' },
  run: ({ deps, who, args }) => alertsReply(deps, who, args),
};
