import { AppError } from '../errors.ts';
import { dropboxAuthSettings } from '../config/load-config.ts';
import { startDropboxAuthorization } from '../adapters/dropbox/dropbox-authorize.ts';
import { readLine } from './read-line.ts';
import { cliIo, print, tell } from './print.ts';

/** `tokobot dropbox-auth`: works before anything else is configured, since it is how the Dropbox part of .env is filled in. */
export async function dropboxAuth(appKeyOption: string | undefined): Promise<number> {
  const settings = dropboxAuthSettings(cliIo().env);
  const appKey = appKeyOption ?? settings.appKey;
  if (!appKey) {
    throw new AppError('usage', 'tokobot', 'tokobot dropbox-auth needs the app key: tokobot dropbox-auth --app-key KEY (or DROPBOX_APP_KEY in .env). ' +
      'Create the app at https://www.dropbox.com/developers/apps (Scoped access; permissions files.content.read, and files.content.write for backup uploads).');
  }
  const flow = await startDropboxAuthorization({ appKey, apiUrl: settings.apiUrl });
  tell(`1. Open this address in a browser, sign in to the shop's Dropbox and press Allow:\n\n${flow.url}\n\n2. Paste the code Dropbox shows here and press Enter: `);
  const code = await readLine();
  if (!code.trim()) throw new AppError('usage', 'tokobot', 'No code was pasted; run tokobot dropbox-auth again.');
  const { refreshToken, accountId } = await flow.finish(code);
  print(`DROPBOX_APP_KEY=${appKey}\nDROPBOX_REFRESH_TOKEN=${refreshToken}`);
  tell(`\nDropbox account ${accountId ?? '?'} linked. Put the two lines above in .env (the app secret is not needed with this token).\n`);
  return 0;
}
