import { t } from '../../i18n/text.ts';
import type { ChatCommand } from './command.ts';

/**
 * /web: a one-time link that signs the person in to the web dashboard. Answered in a private chat
 * only (anyone in a group could open it), and only to someone with a configured role (the
 * dashboard checks that role on every page). Channel-agnostic: the reply goes back to the chat it
 * came from, Telegram or WhatsApp.
 */
export const web: ChatCommand = {
  name: 'web', aliases: ['dasbor', 'dashboard'], role: 'staff', menu: true,
  help: { id: 'tautan masuk dasbor web', en: 'sign-in link to the web dashboard' },
  run: async ({ deps, who }) => {
    if (who.chat.kind !== 'private') return { severity: 'warning', lines: [t(who.lang, 'privateOnly')] };
    // The access the core gave this person: their Telegram role, or what their channel grants (an allowed WhatsApp number: staff).
    const role = who.access === 'public' ? null : who.access;
    if (!role) return { severity: 'warning', lines: [t(who.lang, 'notAllowed', { role: 'staff' })] };
    if (!deps.webLink) return { severity: 'info', lines: [t(who.lang, 'webOff')] };
    return { severity: 'info', lines: [t(who.lang, 'webLinkReply', { url: await deps.webLink({ userId: who.id, role }) })] };
  },
};
