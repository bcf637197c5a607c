import pino, { type Logger } from 'pino';

export type { Logger };

/** Keys that may hold secrets anywhere in a logged object; pino replaces their values. */
const secretPaths = [
  'password', '*.password', 'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'appSecret', '*.appSecret', 'connectionString', '*.connectionString', 'authorization', '*.authorization',
  'headers.authorization', 'env.PG_URL', 'env.DROPBOX_APP_SECRET', 'env.DROPBOX_REFRESH_TOKEN', 'env.DROPBOX_ACCESS_TOKEN',
  'env.PG_DOCKER_PASSWORD', 'env.HTTP_TOKEN', 'env.TELEGRAM_BOT_TOKEN',
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

