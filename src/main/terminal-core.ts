import { checkRunnable } from '../config/load-config.ts';
import { CommandCore } from '../bot/core.ts';
import { ButtonCodec } from '../bot/button-codec.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { ChatState } from '../pipeline/chat-state.ts';
import type { PriceSearch } from '../pipeline/search/price-search.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import type { App } from './app.ts';
import { coreDeps } from './core-deps.ts';

/** What a terminal chat talks to: the command core, and what it needs besides to show buttons as choices. */
export interface TerminalCore {
  core: CommandCore;
  /** The local operator's language and chosen store (kept in the ops database, as a chat user's). */
  chat: Pick<ChatState, 'user' | 'setStore'>;
  /** Reads the buttons of the core's replies (a page, an item's card, a store): the terminal offers them as words and numbers. */
  buttons: Pick<ButtonCodec, 'decode'>;
  /** Waits for a sync or backup started from the chat to end (or stops it after the grace time). */
  shutdown(): Promise<void>;
}

/** How long a sync or backup started from the terminal may take to stop when the chat ends. */
const STOP_GRACE_MS = 30_000;

/**
 * The bot's command core for the person at this machine's terminal (tokobot chat, tokobot demo):
 * no Telegram, no rate limit (it protects a bot from strangers, not the operator from
 * themselves), no owners to tell, no schedules and no alert channels. A sync or backup first
 * checks the settings it needs: the config may be a reader's (loadConfig's `reader`).
 */
export function terminalCore(app: App, search: PriceSearch, syncRunner: SyncRunner): TerminalCore {
  const backupRunner = new BackupRunner(app.backups, app.config.jobs, app.logger);
  const chat = new ChatState(app.opsStores.chats, app.config.locale.lang);
  const deps = coreDeps(app, { search, syncRunner, backupRunner, chat, notifyOwners: async () => undefined,
    nextSync: () => null, nextBackup: () => null, alerting: () => undefined });
  const core = new CommandCore({
    ...deps, rateLimitPerMinute: Number.POSITIVE_INFINITY,
    runSync: async (store, trigger, onProgress) => {
      checkRunnable(app.config, { store });
      return deps.runSync(store, trigger, onProgress);
    },
    backups: { ...deps.backups, run: async (jobId, trigger, onProgress) => {
      checkRunnable(app.config, { job: app.job(jobId) });
      return deps.backups.run(jobId, trigger, onProgress);
    } },
  });
  return {
    core, chat, buttons: new ButtonCodec(app.opsStores.buttons),
    async shutdown() {
      await Promise.all([syncRunner.shutdown(STOP_GRACE_MS), backupRunner.shutdown(STOP_GRACE_MS)]);
    },
  };
}
