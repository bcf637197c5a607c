import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CommandCore } from '../bot/core.ts';
import { renderText } from '../bot/render-text.ts';
import type { Reply } from '../bot/reply.ts';
import { DEMO_SAMPLE, demoConfig } from '../config/demo-config.ts';
import { SYNC_STAGES, type SyncProgress } from '../pipeline/sync/run-tracker.ts';
import { openDemo } from '../main/demo-app.ts';
import { cliIo, print, tell } from './print.ts';

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

async function chat(core: CommandCore, ask: string | undefined): Promise<void> {
  const say = async (text: string) => {
    const reply: Reply | null = await core.message({ userId: 1, name: 'demo', text, access: 'owner', chat: { id: 1, kind: 'private' } });
    if (!reply) return;
    print(renderText(reply));
    if (reply.live) print(renderText(await reply.live(async (r) => { print(`  … ${r.lines.join(' ')}`); })));
  };
  if (ask !== undefined) return say(ask);
  print('\nAsk as you would ask the bot: a name ("minyak goreng"), a code or a barcode, or /status, /sync, /help. Ctrl-D or /quit ends.');
  const rl = createInterface({ input: cliIo().stdin, output: cliIo().stdout, prompt: 'tokobot> ' });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text) await say(text).catch((err: Error) => print(err.message));
    rl.prompt();
  }
  rl.close();
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
  tell(`tokobot demo: the sample store in ${path.relative(process.cwd(), DEMO_SAMPLE) || DEMO_SAMPLE}, PostgreSQL ${config.restore.target} under ${config.dataDir}\n`);
  const { store, runner, core, close } = await openDemo(config);
  try {
    const o = await runner.run(store, 'demo', progressBar(cliIo().stderr));
    tell('\n');
    if (o.status === 'failed') {
      tell(`The sync failed during ${o.failedStage}: ${o.error}\n`);
      return 1;
    }
    tell(o.status === 'success' ? `Published ${o.rows} price rows from ${o.file}.\n` : `The price list from ${o.file} is already published.\n`);
    await chat(await core(), ask);
    await runner.shutdown(5_000);
    return 0;
  } finally {
    await close();
  }
}
