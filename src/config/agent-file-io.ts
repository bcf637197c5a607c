import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Lang } from '../i18n/lang.ts';
import { agentFileSchema, type AgentFileConfig } from './agent-file-schema.ts';
import { agentConfigPath } from './agent-config.ts';
import { readSettingsFile, someSettings } from './load-config.ts';

/**
 * The agent file as it is now, for enrolling again: null when there is none. One that is there but
 * does not parse rejects with readSettingsFile's AppError (each problem named): enrolment then
 * writes nothing rather than lose the jobs it holds.
 */
export async function readAgentFileIfAny(file: string, lang: Lang): Promise<AgentFileConfig | null> {
  const there = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  return there ? readSettingsFile(file, agentFileSchema, lang, 'AGENT_CONFIG') : null;
}

/**
 * Writes `content` as the agent file, all or nothing: a temporary file beside it (0600 from its
 * creation, so the token is never readable by others, not even for a moment), synced, then renamed
 * over the old one; a crash leaves the old file or the new, never half of one. The folder is made
 * 0700 when it is new. Windows has no mode bits: the file takes its folder's ACLs (README, Shop agent).
 */
export async function writeAgentFile(file: string, content: AgentFileConfig): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw err;
  }
  // The rename is durable once the folder is synced (POSIX; Windows cannot open a folder for this).
  if (process.platform !== 'win32') {
    const folder = await open(dir, 'r');
    await folder.sync().finally(() => folder.close());
  }
}

/**
 * Whether this computer is a shop agent and nothing else: its agent file is there and nothing of
 * a head office is set up. `tokobot agent enroll` leaves a shop PC with agent.json and neither a
 * config file (TOKOBOT_CONFIG) nor a bot token, which a head office always has (tokobot start needs
 * it); so a plain `tokobot doctor` checks the right thing on both, and a computer that is both
 * asks for the agent's checks with --agent.
 */
export function isShopAgent(source: NodeJS.ProcessEnv): boolean {
  try {
    const env = someSettings(source, ['TOKOBOT_CONFIG', 'TELEGRAM_BOT_TOKEN']);
    return !env.TOKOBOT_CONFIG && !env.TELEGRAM_BOT_TOKEN && existsSync(agentConfigPath(source).file);
  } catch {
    // Settings that do not parse: the head office's doctor names them.
    return false;
  }
}
