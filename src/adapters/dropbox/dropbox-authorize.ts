import { DropboxAuth } from 'dropbox';
import nodeFetch from 'node-fetch';
import { AppError } from '../../errors.ts';
import type { ProxySection } from '../../config/sections.ts';
import { DROPBOX_API, rewritingFetch, type FetchFn } from './dropbox-client.ts';
import { proxyRoute, unreachableHint } from './dropbox-errors.ts';

export interface DropboxAuthorization {
  /** Where the owner approves the app in a browser; Dropbox then shows a code to paste back. */
  url: string;
  /** Trades the code for a long-lived refresh token (offline access). */
  finish(code: string): Promise<{ refreshToken: string; accountId?: string }>;
}

/**
 * The "no redirect" OAuth flow with PKCE: no app secret and no web server are needed, which is
 * why a shop's server can do it from a terminal. The verifier lives in this object, so finish()
 * must be called on the same one.
 */
export async function startDropboxAuthorization(o: { appKey: string; apiUrl?: string; proxy?: ProxySection; fetch?: FetchFn }): Promise<DropboxAuthorization> {
  // Only the API is called (the token exchange); the page the owner opens is Dropbox's own, in their browser.
  const auth = new DropboxAuth({ clientId: o.appKey, fetch: rewritingFetch(o.fetch ?? nodeFetch, o.apiUrl, undefined, o.proxy) });
  const url = String(await auth.getAuthenticationUrl('', undefined, 'code', 'offline', undefined, 'none', true));
  return {
    url,
    async finish(code) {
      let result: { refresh_token?: string; account_id?: string };
      try {
        result = (await auth.getAccessTokenFromCode('', encodeURIComponent(code.trim()))).result as typeof result;
      } catch (err) {
        const body = (err as { error?: { error?: string; error_description?: string } }).error;
        if (body?.error === 'invalid_grant') {
          throw new AppError('refused', 'dropbox', 'Dropbox did not accept that code: each code works once and only for a few minutes. ' +
            'Run tokobot dropbox-auth again and paste the new code.', { cause: err });
        }
        if (body?.error === 'invalid_client') {
          throw new AppError('refused', 'dropbox', 'Dropbox does not know this app key: copy the "App key" from the App Console (dropbox.com/developers/apps).', { cause: err });
        }
        const reason = (err as { code?: string }).code ?? (err as { status?: number }).status ?? 'no answer';
        const hint = unreachableHint(proxyRoute(o.apiUrl ?? DROPBOX_API, o.proxy));
        throw new AppError('unreachable', 'dropbox', {
          en: `Dropbox could not be reached to trade the code for a token (${reason}): ${hint.en}; then run tokobot dropbox-auth again.`,
          id: `Dropbox tidak bisa dihubungi untuk menukar kode dengan token (${reason}): ${hint.id}; lalu jalankan tokobot dropbox-auth lagi.`,
        }, { retryable: true, cause: err });
      }
      if (!result.refresh_token) throw new AppError('refused', 'dropbox', 'Dropbox answered without a refresh token; run tokobot dropbox-auth again.');
      return { refreshToken: result.refresh_token, accountId: result.account_id };
    },
  };
}
