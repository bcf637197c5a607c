import type { Config } from './load-config.ts';

/** The password of a connection URL, as written and decoded (a driver may quote either). */
function urlPassword(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = new URL(url).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

/**
 * Every secret value the configuration holds: database passwords (PG_URL, OPS_DATABASE_URL, PG_DOCKER_PASSWORD, the
 * backup jobs' URLs), passphrases, tokens and the jobs' ping URLs (whole: the key is in the path). Text shown beyond the log (the /status page) is
 * scrubbed of them, in case a failure message quotes a connection string.
 */
export function secretValues(config: Config): string[] {
  const all = [
    ...urlPassword(config.restore.pgUrl), ...urlPassword(config.ops.url), config.restore.docker.password, config.telegram.token, config.http.token,
    config.dropbox.appSecret, config.dropbox.refreshToken, config.dropbox.accessToken, ...urlPassword(config.proxy.https), ...urlPassword(config.proxy.http),
    ...config.jobs.flatMap((j) => [...urlPassword(j.url), j.passphrase, j.ping?.url,
      ...j.destinations.flatMap((d) => (d.type === 'ftp' ? [d.password] : d.type === 'sftp' ? [d.password, d.passphrase] : []))]),
  ];
  // Longest first, so that a secret containing another is replaced whole.
  return [...new Set(all.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
}

/** `value` as indented JSON, every one of `secrets` inside its strings replaced by [secret]. */
export function scrubbedJson(value: unknown, secrets: string[]): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? secrets.reduce((out, s) => out.split(s).join('[secret]'), v) : v), 2);
}
