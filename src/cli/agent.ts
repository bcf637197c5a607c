import { loadAgentConfig } from '../config/agent-config.ts';
import { createLogger } from '../log.ts';
import { startAgent } from '../main/agent.ts';
import { cliIo } from './print.ts';

/**
 * `tokobot agent`: runs the shop's backup jobs on their schedules and reports, until SIGTERM or
 * SIGINT; then a running backup is stopped cleanly. `once`: every job runs now, one after the
 * other, and the agent exits (1 when a run failed).
 */
export async function agent(once: boolean): Promise<number> {
  const { env, stderr } = cliIo();
  const config = loadAgentConfig(env);
  const logger = createLogger(config.log.level, stderr);
  const running = await startAgent(config, logger, { schedules: !once });
  let failed = 0;
  if (once) {
    try {
      for (const job of config.jobs) if ((await running.runner.run(job, 'cli')).status !== 'success') failed++;
    } finally {
      await running.stop();
    }
    return failed ? 1 : 0;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => { logger.info({ signal }, 'stopping'); resolve(); };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await running.stop();
  return 0;
}
