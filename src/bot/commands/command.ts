import type { Access } from '../access.ts';
import type { ButtonCodec, ButtonData, ButtonKind } from '../button-codec.ts';
import type { CoreDeps, Who } from '../context.ts';
import type { Lang } from '../../i18n/lang.ts';
import type { RecentSearches } from '../recent-searches.ts';
import type { Reply } from '../reply.ts';

/** What a command is given to answer one person: the pipeline, who asks, and what they wrote. */
export interface CommandContext {
  deps: CoreDeps;
  who: Who;
  /** What followed the command word (the whole message for a price question): trimmed, cut to 200 characters. */
  args: string;
  /** Turns button data into what the channel sends back when the button is pressed. */
  buttons: Pick<ButtonCodec, 'encode'>;
  /** The /help list for this person (from the registry, which commands cannot import: it imports them). */
  help: () => Reply;
  /** Each person's last search, for "lanjut" (the next page). */
  searches: RecentSearches;
}

/** Answers to the buttons of one kind; null when what the button showed is gone ("expired"). */
export type Presses = {
  [K in ButtonKind]?: (c: Omit<CommandContext, 'args'>, button: Extract<ButtonData, { kind: K }>) => Promise<Reply | null> | Reply | null;
};

/** A chat command, declared once: src/bot/registry.ts lists them for the core, /help, the menus and access checks. */
export interface ChatCommand {
  /** The word after the slash, as menus and /help show it. */
  name: string;
  /** Other words that run it (Indonesian and English), lower case. */
  aliases: readonly string[];
  /** The least access that runs it; a group chat caps everyone at staff unless it is an owners' group. */
  role: Access;
  help: Record<Lang, string>;
  /** Listed in Telegram's command menu (those whose role reaches it). */
  menu: boolean;
  run: (c: CommandContext) => Promise<Reply> | Reply;
  /** The answer to someone with no role at all, for the few commands strangers may use. */
  forStranger?: (stranger: { id: number; lang: Lang }) => Reply;
  /** The buttons this command's replies carry; a press needs the command's role, like the command. */
  presses?: Presses;
}
