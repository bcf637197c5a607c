import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.ts';
import { isAppError } from '../../src/errors.ts';

/** The lines of the config error `load` throws for `env` (loadConfig by default); fails when it accepts it or throws anything else. */
export function configProblems(env: Record<string, string | undefined>, load: (env: NodeJS.ProcessEnv) => unknown = loadConfig): string[] {
  try {
    load(env);
  } catch (err) {
    assert.ok(isAppError(err) && err.kind === 'config', `expected a config error, got ${err}`);
    return err.message.split('\n');
  }
  assert.fail('config was accepted');
}
