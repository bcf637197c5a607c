import { changesReply } from '../change-replies.ts';
import type { ChatCommand } from './command.ts';

/** /changes [days|on|off] (/perubahan): price changes of the person's store; admins see no cost (nor which prices are below it). */
export const changes: ChatCommand = {
  name: 'changes', aliases: ['perubahan'], role: 'admin', menu: true,
  help: { id: 'perubahan harga: /perubahan [HARI], /perubahan on|off (pesan setelah sync)', en: 'price changes: /changes [DAYS], /changes on|off (a message after each sync)' },
  run: ({ deps, who, args }) => changesReply(deps, who, args),
};
