import { AppError } from '../errors.ts';
import { dropboxAuthSettings } from '../config/load-config.ts';
import { startDropboxAuthorization } from '../adapters/dropbox/dropbox-authorize.ts';
import { readLine } from './read-line.ts';
import { t } from '../i18n/text.ts';
import { cliIo, cliLang, print, tell } from './print.ts';

/** `tokobot dropbox-auth`: works before anything else is configured, since it is how the Dropbox part of .env is filled in. */
export async function dropboxAuth(appKeyOption: string | undefined): Promise<number> {
  const lang = cliLang();
  const settings = dropboxAuthSettings(cliIo().env);
  const appKey = appKeyOption ?? settings.appKey;
  if (!appKey) throw new AppError('usage', 'tokobot', t(lang, 'dropboxNeedsKey'));
  const flow = await startDropboxAuthorization({ appKey, apiUrl: settings.apiUrl, proxy: settings.proxy });
  tell(`${t(lang, 'dropboxOpen')}\n\n${flow.url}\n\n${t(lang, 'dropboxPaste')}`);
  const code = await readLine();
  if (!code.trim()) throw new AppError('usage', 'tokobot', t(lang, 'dropboxNoCode'));
  const { refreshToken, accountId } = await flow.finish(code);
  print(`DROPBOX_APP_KEY=${appKey}\nDROPBOX_REFRESH_TOKEN=${refreshToken}`);
  tell(`\n${t(lang, 'dropboxLinked', { account: accountId ?? '?' })}\n`);
  return 0;
}
