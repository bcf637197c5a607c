import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, someSettings } from '../config/load-config.ts';
import { AppError, errorDetail } from '../errors.ts';
import { t } from '../i18n/text.ts';
import { opsRestoreFor } from '../main/self-source.ts';
import { restoreSelf, type SelfRestoreResult } from '../pipeline/backup/restore-self.ts';
import { cliLogger } from './cli-log.ts';
import { cliIo, cliLang, print } from './print.ts';
import { readLine } from './read-line.ts';

function printResult(file: string, result: SelfRestoreResult): void {
  const lang = cliLang();
  const m = result.manifest;
  print(t(lang, 'selfMadeBy', { file: path.basename(file), version: m.tokobotVersion, host: m.host, at: m.createdAt }));
  for (const f of result.files) print(t(lang, `selfFile_${f.action}`, { to: f.to, before: f.before ?? '' }));
  const db = result.database;
  if (db.restored) print(t(lang, 'selfDbRestored', { into: db.into, tables: db.tables ?? '?', rows: db.rows ?? '?' }));
  else print(t(lang, 'selfDbNot', { why: errorDetail(db.why, lang) }));
  print(t(lang, 'selfNext'));
}

/**
 * `tokobot restore-self FILE [--to DIR] [--force]`: works on a new server with nothing
 * configured yet. The ops database is reached with the settings as they are once the files are
 * in place (the .env just restored is read then).
 */
export async function restoreSelfCommand(file: string, options: { to?: string; force: boolean }): Promise<number> {
  const io = cliIo();
  const lang = cliLang();
  if (!existsSync(file)) throw new AppError('usage', 'tokobot', t(lang, 'noSuchFile', { file }));
  const settings = someSettings(io.env, ['TOKOBOT_CONFIG', 'DATA_DIR', 'TOKOBOT_RESTORE_PASSPHRASE']);
  const passphrase = settings.TOKOBOT_RESTORE_PASSPHRASE ?? (await readLine()).trim();
  if (!passphrase) throw new AppError('usage', 'tokobot', t(lang, 'selfNoPassphrase'));
  let close: (() => Promise<void>) | undefined;
  try {
    const result = await restoreSelf(file, {
      passphrase, force: options.force, ...(options.to ? { to: path.resolve(options.to) } : {}),
      workDir: path.join(tmpdir(), `tokobot-restore-self-${process.pid}-${randomBytes(4).toString('hex')}`),
      places: { ...(settings.TOKOBOT_CONFIG ? { config: path.resolve(settings.TOKOBOT_CONFIG) } : {}), ...(io.envFile ? { env: io.envFile } : {}), dataDir: path.resolve(settings.DATA_DIR) },
      openOps: async () => {
        if (io.envFile && existsSync(io.envFile)) (await import('dotenv')).default.config({ quiet: true, path: io.envFile, processEnv: io.env });
        // Only the ops database is reached: where the stores' backups come from is not asked (a reader's config).
        const config = loadConfig(io.env, { reader: true, envFile: io.envFile });
        const opened = await opsRestoreFor(config, cliLogger(config));
        close = opened.close;
        return opened.ops;
      },
    });
    printResult(file, result);
    return result.database.restored || options.to ? 0 : 1;
  } finally {
    await close?.();
  }
}
