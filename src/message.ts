/**
 * What tokobot says, before a channel renders it: a severity (shown as an icon), an optional
 * title and the lines, all plain text (a channel escapes what its markup needs). Chat replies
 * add buttons, files and live updates to it (src/bot/reply.ts); alerts are exactly this, and
 * each channel renders both with the same renderer.
 */
export interface Message {
  severity: 'info' | 'warning' | 'error';
  title?: string;
  lines: string[];
}
