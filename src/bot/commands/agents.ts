import { storeAddReply, storeListReply, storeRevokeReply } from '../agent-replies.ts';
import type { ChatCommand } from './command.ts';

const ADD = new Set(['add', 'tambah', 'buat']);
const REVOKE = new Set(['revoke', 'cabut']);

/**
 * /agen [add|revoke ID] (/agent): the shop agents' stores and tokens, owners only (a token lets a PC
 * report as that store). Not /store: that word already picks a store (/toko's English alias).
 */
export const agents: ChatCommand = {
  name: 'agen', aliases: ['agent', 'agents'], role: 'owner', menu: true,
  help: { id: 'agen toko dan tokennya: /agen, /agen add ID, /agen revoke ID', en: 'shop agents and their tokens: /agent, /agent add ID, /agent revoke ID' },
  run: ({ deps, who, args }) => {
    const [verb = '', id = ''] = args.toLowerCase().split(/\s+/);
    if (ADD.has(verb)) return storeAddReply(deps, who, id);
    if (REVOKE.has(verb)) return storeRevokeReply(deps, who, id);
    return storeListReply(deps, who);
  },
};
