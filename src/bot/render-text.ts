import type { Reply } from './reply.ts';

/** Plain text for the terminal and `tokobot ask`. */
export function renderText(reply: Reply): string {
  const head = reply.title ? [`[${reply.title}]`] : [];
  return [...head, ...reply.lines].join('\n');
}
