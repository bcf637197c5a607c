import { LOCAL_OPERATOR } from '../access.ts';
import { t } from '../../i18n/text.ts';
import type { ChatCommand } from './command.ts';

export const help: ChatCommand = {
  name: 'help', aliases: ['start', 'bantuan'], role: 'public', menu: true,
  help: { id: 'daftar perintah', en: 'list of commands' },
  run: (c) => c.help(),
};

/** Who am I: the one command strangers are answered (they need their id to be added). */
export const whoami: ChatCommand = {
  name: 'whoami', aliases: [], role: 'public', menu: true,
  help: { id: 'ID Telegram Anda', en: 'your Telegram ID' },
  run: ({ who }) => {
    if (who.id === LOCAL_OPERATOR) return { severity: 'info', lines: [t(who.lang, 'whoamiTerminal', { role: who.access })] };
    const lines = [t(who.lang, 'whoami', { id: who.id, role: who.access })];
    if (who.chat.kind === 'group') lines.push(t(who.lang, 'groupId', { id: who.chat.id }));
    return { severity: 'info', lines };
  },
  forStranger: (s) => ({ severity: 'info', lines: [t(s.lang, 'whoami', { id: s.id, role: '-' })] }),
};
