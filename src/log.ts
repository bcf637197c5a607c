import pino, { type Logger } from 'pino';

export type { Logger };

/** Where the configuration (src/config/sections.ts) keeps secrets: the config logged whole or as `config`. */
const configSecrets = [
  'restore.pgUrl', 'restore.docker.password', 'dropbox.appSecret', 'dropbox.refreshToken', 'dropbox.accessToken',
  'telegram.token', 'http.token', 'jobs[*].url', 'jobs[*].passphrase', 'jobs[*].ping.url', 'proxy.https', 'proxy.http',
];

/** Keys that may hold secrets anywhere in a logged object; pino replaces their values. */
const secretPaths = [
  'password', '*.password', 'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'appSecret', '*.appSecret', 'connectionString', '*.connectionString', 'authorization', '*.authorization',
  'headers.authorization', 'pgUrl', '*.pgUrl', ...configSecrets, ...configSecrets.map((p) => `config.${p}`),
];

/** JSON lines for machines; readable lines when a person watches a terminal. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  const pretty = (destination as { isTTY?: boolean }).isTTY === true;
  const options = { level, redact: { paths: secretPaths, censor: '[secret]' } };
  if (pretty) {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss' } }));
  }
  return pino(options, destination);
}

