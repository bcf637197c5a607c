import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { sequentialize } from '@grammyjs/runner';
import { Bot, InputFile, type Api, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Role } from '../../config/load-config.ts';
import type { CommandCore } from '../core.ts';
import type { Chat } from '../access.ts';
import type { ChatCommand } from '../commands/command.ts';
import { commandsFor, strangerCommands } from '../registry.ts';
import type { Lang } from '../../i18n/lang.ts';
import type { Reply } from '../reply.ts';
import { renderHtml } from './render-html.ts';
import { telegramImage } from './telegram-photo.ts';
import { renderInline } from './render-inline.ts';
import { networkRetry, type NetworkRetryOptions } from '../../adapters/telegram/network-retry.ts';
import { telegramClient } from '../../adapters/telegram/telegram-client.ts';
import type { ProxySection } from '../../config/sections.ts';
import type { PictureFileIds } from '../../store/picture-file-ids.ts';
import { sendPicture } from './send-picture.ts';

export interface TelegramBotOptions {
  token: string;
  /** A self-hosted Bot API server (and the tests' fake). */
  apiRoot?: string;
  core: CommandCore;
  roles: Map<number, Role>;
  publicMode: boolean;
  /** TELEGRAM_OWNER_GROUPS: groups answered at each member's own level. */
  ownerGroups: ReadonlySet<number>;
  onMigrate: (oldChatId: number, newChatId: number) => Promise<void>;
  logger: Pick<Logger, 'error' | 'warn' | 'info'>;
  /** Known bot identity, so that no getMe call is needed (tests). */
  botInfo?: UserFromGetMe;
  /** Keep to Telegram's sending limits (default). Off only to measure the bot itself against a fake API. */
  throttle?: boolean;
  /** Aborted when tokobot stops: progress edits still waiting are dropped, one under way is cancelled. */
  signal?: AbortSignal;
  /** How Telegram is tried again when it cannot be reached (shorter waits in tests), and who hears of it. */
  retry?: NetworkRetryOptions;
  /** HTTPS_PROXY and friends. */
  proxy?: ProxySection;
  /** Where the file ids of item pictures already sent are kept; unset: each picture is uploaded every time. */
  pictureFileIds?: PictureFileIds;
}

/**
 * The chat an update came from, as the core sees it: anything but a private chat (group,
 * supergroup, channel, or a button press whose message Telegram no longer sends) is a group.
 */
const chatOf = (chat: { id: number; type: string } | undefined): Chat => ({ id: chat?.id ?? 0, kind: chat?.type === 'private' ? 'private' : 'group' });

const nameOf = (ctx: Context) => [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(' ') || ctx.from?.username || 'unknown';

/** The Telegram channel: grammY in front of the command core. Rendering and sending only; no decisions. */
export function createTelegramBot(o: TelegramBotOptions): Bot {
  const bot = new Bot(o.token, { client: telegramClient(o.apiRoot, o.proxy), botInfo: o.botInfo });
  // With concurrent update handling, one chat's updates must still be answered in order.
  bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));
  // Outgoing calls wait their turn (Telegram's limits), and a 429 waits retry_after and tries again.
  if (o.throttle !== false) bot.api.config.use(apiThrottler());
  // auto-retry waits out 429s and retries 5xx answers of sends; the runner waits out a 429 of
  // getUpdates. Unreachable Telegram, and a 5xx of getUpdates, are networkRetry's (around them
  // both): auto-retry's waits double up to an hour, the runner's without end.
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true });
  bot.api.config.use((prev, method, payload, signal) => (method === 'getUpdates' ? prev(method, payload, signal) : retry(prev, method, payload, signal)));
  bot.api.config.use(networkRetry(o.retry));

  const send = async (ctx: Context, reply: Reply) => {
    if (reply.document) {
      await ctx.replyWithDocument(new InputFile(reply.document.path, reply.document.filename), { caption: reply.document.caption });
      return;
    }
    const html = renderHtml(reply);
    const shown = await ctx.reply(html.text, { parse_mode: 'HTML', reply_markup: html.reply_markup });
    // A reply's files (a report's chart and PDF) follow its text: an image as a photo, the rest as documents.
    for (const file of reply.files ?? []) {
      const input = new InputFile(Buffer.from(file.base64, 'base64'), file.name);
      await (file.type === 'image/png' ? ctx.replyWithPhoto(input) : ctx.replyWithDocument(input));
    }
    if (reply.picture) await sendPicture(ctx, reply.picture, o.pictureFileIds, o.logger);
    if (!reply.live) return;
    // Progress comes faster than Telegram lets one chat be edited (about once a second): one edit
    // is under way at a time and only the newest waiting state is shown next.
    let waiting: Reply | null = null;
    let busy = false;
    const edit = async (r: Reply) => {
      waiting = r;
      if (busy) return;
      busy = true;
      try {
        while (waiting && !o.signal?.aborted) {
          const { text, reply_markup } = renderHtml(waiting);
          waiting = null;
          // grammY types its signal with the abort-controller shim; Node's own AbortSignal is what it uses at run time.
          const signal = o.signal as Parameters<Api['editMessageText']>[4];
          await ctx.api.editMessageText(shown.chat.id, shown.message_id, text, { parse_mode: 'HTML', reply_markup }, signal).catch((err: Error) => {
            if (!/message is not modified/.test(err.message)) throw err;
          });
        }
      } finally {
        busy = false;
      }
    };
    // A slow command must not hold up other users: it runs on while the next updates are handled.
    void reply.live(edit).then(edit, async (err) => edit(o.core.failure(err, 'id', ctx.from?.id ?? 0)))
      .catch((err) => { if (!o.signal?.aborted) o.logger.warn({ err }, 'could not show the end of a live reply'); });
  };

  bot.on('message:migrate_to_chat_id', async (ctx) => {
    await o.onMigrate(ctx.chat.id, ctx.msg.migrate_to_chat_id);
    o.logger.info({ from: ctx.chat.id, to: ctx.msg.migrate_to_chat_id }, 'group became a supergroup; chat id follows');
    // Not followed on its own: who may see cost prices is the operator's decision, made in the config.
    if (o.ownerGroups.has(ctx.chat.id)) {
      o.logger.warn({ from: ctx.chat.id, to: ctx.msg.migrate_to_chat_id }, `an owners' group became a supergroup: put ${ctx.msg.migrate_to_chat_id} in TELEGRAM_OWNER_GROUPS in place of ${ctx.chat.id}; until then it hears staff answers`);
    }
  });

  bot.on('message:text', async (ctx) => {
    const reply = await o.core.message({ userId: ctx.from.id, name: nameOf(ctx), text: ctx.msg.text, chat: chatOf(ctx.chat) });
    if (reply) await send(ctx, reply);
  });

  // A photo of a barcode, or a picture sent as a file: answered as the code typed.
  bot.on(['message:photo', 'message:document'], async (ctx) => {
    const image = telegramImage(ctx.msg, ctx.api, o);
    if (!image) return;
    const reply = await o.core.photo({ userId: ctx.from.id, name: nameOf(ctx), chat: chatOf(ctx.chat), image });
    if (reply) await send(ctx, reply);
  });

  bot.on('callback_query:data', async (ctx) => {
    await ctx.answerCallbackQuery().catch(() => undefined);
    const reply = await o.core.action(ctx.from.id, nameOf(ctx), ctx.callbackQuery.data, chatOf(ctx.callbackQuery.message?.chat));
    if (!reply) return;
    if (reply.replace && ctx.callbackQuery.message) {
      const { text, reply_markup } = renderHtml(reply);
      await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup }).catch((err: Error) => {
        if (!/message is not modified/.test(err.message)) throw err;
      });
    } else {
      await send(ctx, reply);
    }
  });

  // Inline mode (`@bot gula` in any chat; BotFather's /setinline). is_personal: Telegram keeps an
  // answer for the person who asked only, so nobody is shown another's, a stranger no staff answer.
  bot.on('inline_query', async (ctx) => {
    const answer = await o.core.inline(ctx.from.id, ctx.inlineQuery.query);
    if (answer) await ctx.answerInlineQuery(renderInline(answer.items), { cache_time: answer.cacheSeconds, is_personal: true });
  });

  bot.catch((err) => o.logger.error({ err: err.error, update: err.ctx.update.update_id }, 'telegram update failed'));
  return bot;
}

function menu(commands: ChatCommand[], lang: Lang) {
  return commands.filter((c) => c.menu).map((c) => ({ command: c.name, description: c.help[lang] }));
}

/**
 * Command menus per role: each known user sees their own in their private chat; everyone else,
 * and every group, only what a stranger may do (Telegram shows groups the default scope, never a
 * person's private one). An owners' group gets the owner's menu.
 */
export async function registerMenus(api: Api, roles: Map<number, Role>, publicMode: boolean, langOf: (id: number) => Promise<Lang>,
  ownerGroups: ReadonlySet<number> = new Set(), logger?: Pick<Logger, 'warn'>): Promise<void> {
  const strangers = menu(publicMode ? commandsFor('public') : strangerCommands(), 'id');
  await api.setMyCommands(strangers, { scope: { type: 'default' } });
  for (const [userId, role] of roles) {
    await api.setMyCommands(menu(commandsFor(role), await langOf(userId)), { scope: { type: 'chat', chat_id: userId } });
  }
  for (const chatId of ownerGroups) {
    // A group the bot has not joined (yet) answers "chat not found": not a reason to stop.
    await api.setMyCommands(menu(commandsFor('owner'), 'id'), { scope: { type: 'chat', chat_id: chatId } })
      .catch((err: Error) => logger?.warn({ chatId, reason: err.message }, 'no command menu for an owners\' group (is the bot a member?)'));
  }
}
