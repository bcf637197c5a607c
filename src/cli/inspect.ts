import { stat } from 'node:fs/promises';
import { zipSettingsFrom } from '../config/load-config.ts';
import { AppError } from '../errors.ts';
import { t } from '../i18n/text.ts';
import { inspectFile } from '../pipeline/archive/inspect-file.ts';
import { renderArchiveInfo } from './format-inspect.ts';
import { cliIo, cliLang, print } from './print.ts';

/** `tokobot inspect`: needs no config but the zip limits, since inspecting a file must work before anything is set up. */
export async function inspect(file: string, json: boolean): Promise<number> {
  const lang = cliLang();
  const found = await stat(file).catch(() => null);
  if (!found) throw new AppError('usage', 'tokobot', t(lang, 'noSuchFile', { file }));
  if (!found.isFile()) throw new AppError('usage', 'tokobot', t(lang, 'notAFile', { file }));
  const info = await inspectFile(file, zipSettingsFrom(cliIo().env));
  print(json ? JSON.stringify(info, null, 2) : renderArchiveInfo(info, lang));
  return 0;
}
