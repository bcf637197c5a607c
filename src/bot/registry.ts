import { may, type Access } from './access.ts';
import type { ButtonData, ButtonKind } from './button-codec.ts';
import type { ChatCommand, CommandContext } from './commands/command.ts';
import { help, whoami } from './commands/help.ts';
import { price } from './commands/price.ts';
import { stock } from './commands/stock.ts';
import { lang, toko } from './commands/settings.ts';
import { cancel, exportList, history, report, status, sync } from './commands/ops.ts';
import { alerts, backup, jobs } from './commands/backups.ts';
import { web } from './commands/web.ts';
import { agents } from './commands/agents.ts';
import { changes } from './commands/changes.ts';
import type { Reply } from './reply.ts';

/** Every chat command, in the order /help and the menus list them. */
export const COMMANDS: readonly ChatCommand[] = [price, stock, help, whoami, lang, toko, status, history, changes, sync, exportList, report, backup, jobs, cancel, alerts, agents, web];

/** What a message without a slash asks, and what an unknown /word gets. */
export const PRICE_COMMAND = price;
export const HELP_COMMAND = help;

const byWord = new Map<string, ChatCommand>(COMMANDS.flatMap((c) => [c.name, ...c.aliases].map((w) => [w, c] as const)));

/** The command a slash word names (its name or an alias, any case). */
export function commandNamed(word: string): ChatCommand | undefined {
  return byWord.get(word.toLowerCase());
}

/** The commands `access` may run, in /help order. */
export function commandsFor(access: Access): ChatCommand[] {
  return COMMANDS.filter((c) => may(access, c));
}

/** The commands answered to someone with no role (shown in the menu everyone sees when the bot is not public). */
export function strangerCommands(): ChatCommand[] {
  return COMMANDS.filter((c) => c.forStranger);
}

type Press = (c: Omit<CommandContext, 'args'>, button: ButtonData) => Promise<Reply | null> | Reply | null;

const byButton = new Map<ButtonKind, { command: ChatCommand; press: Press }>(COMMANDS.flatMap((command) =>
  Object.entries(command.presses ?? {}).map(([kind, press]) => [kind as ButtonKind, { command, press: press as Press }] as const)));

/** The command whose buttons are of this kind (its role governs the press), and its answer to them. */
export function pressOf(button: ButtonData): { command: ChatCommand; press: Press } | undefined {
  return byButton.get(button.kind);
}
