import { loadAgentConfig } from '../config/agent-config.ts';
import { createLogger } from '../log.ts';
import { startAgent } from '../main/agent.ts';
import { cliIo } from './print.ts';

/** `tokobot agent`: runs the shop's backup jobs and reports until SIGTERM or SIGINT, then stops a running backup cleanly. */
export async function agent(): Promise<number> {
  const { env, stderr } = cliIo();
  const config = loadAgentConfig(env);
  const logger = createLogger(config.log.level, stderr);
  const running = await startAgent(config, logger);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => { logger.info({ signal }, 'stopping'); resolve(); };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await running.stop();
  return 0;
}
