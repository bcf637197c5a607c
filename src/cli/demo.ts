import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_SAMPLE, demoConfig } from '../config/demo-config.ts';
import { SYNC_STAGES, type SyncProgress } from '../pipeline/sync/run-tracker.ts';
import { openDemo } from '../main/demo-app.ts';
import { t } from '../i18n/text.ts';
import { cliLogger } from './cli-log.ts';
import { cliIo, cliLang, tell } from './print.ts';
import { TerminalChat } from './terminal-chat.ts';

/** One line per stage on a terminal, redrawn as it goes: "restore  [██████░░░░]  60%". */
function progressBar(out: NodeJS.WritableStream): (p: SyncProgress) => void {
  let shown = '';
  return (p) => {
    const step = `${SYNC_STAGES.indexOf(p.stage) + 1}/${SYNC_STAGES.length}`;
    const share = p.total ? Math.min(1, (p.done ?? 0) / p.total) : null;
    const bar = share === null ? '' : ` [${'█'.repeat(Math.round(share * 20))}${'░'.repeat(20 - Math.round(share * 20))}] ${String(Math.floor(share * 100)).padStart(3)}%`;
    const line = `  ${step} ${p.stage.padEnd(9)}${bar}${p.text && share === null ? ` ${p.text}` : ''}`;
    if ((out as { isTTY?: boolean }).isTTY !== true) {
      if (p.stage !== shown) out.write(`${line}\n`);
    } else {
      out.write(`${p.stage === shown ? '\r' : shown ? '\n' : ''}${line.padEnd(60)}`);
    }
    shown = p.stage;
  };
}

/**
 * `npm run demo` / `tokobot demo [--ask TEXT]`: the sample store synced into the embedded
 * PostgreSQL (no Docker, no Dropbox, no Telegram), then a terminal chat with the same command
 * core as the bot — or one answer, for scripts.
 */
export async function demo(ask: string | undefined): Promise<number> {
  const config = demoConfig(cliIo().env);
  // As root the embedded PostgreSQL runs as "postgres", which must pass through data/ and data/demo:
  // made here (when new) so that others may pass through, not list.
  await mkdir(config.dataDir, { recursive: true, mode: 0o711 });
  const lang = cliLang();
  const sample = path.relative(process.cwd(), DEMO_SAMPLE) || DEMO_SAMPLE;
  tell(`${t(lang, 'demoStarts', { sample, target: config.restore.target, dir: config.dataDir })}\n`);
  const { store, runner, core, close } = await openDemo(config, cliLogger(config));
  try {
    const o = await runner.run(store, 'demo', progressBar(cliIo().stderr));
    tell('\n');
    if (o.status === 'failed') {
      tell(`${t(lang, 'demoFailed', { stage: o.failedStage ?? '?', error: (lang === 'id' ? o.errorId : undefined) ?? o.error ?? '' })}\n`);
      return 1;
    }
    tell(`${o.status === 'success' ? t(lang, 'demoPublished', { rows: o.rows ?? 0, file: o.file ?? '' }) : t(lang, 'demoSame', { file: o.file ?? '' })}\n`);
    const terminal = await core();
    const chat = new TerminalChat(terminal);
    await (ask === undefined ? chat.run() : chat.say(ask));
    await terminal.shutdown();
    return 0;
  } finally {
    await close();
  }
}
