import type { Message, MessageFile } from '../../message.ts';

const UNSENT = Symbol('unsent');

/**
 * Sends a message the way chat channels must, in parts: its text, then each file. When a part
 * fails after others went (the text went, the PDF did not), the error is marked with what is still
 * unsent: the outbox then tries only that again (AlertOutboxStore.retryAt's `rest`), so that a
 * report's text is never repeated for a file that keeps failing, and a file that goes later arrives
 * on its own. A failure of the first part leaves the error unmarked: nothing went, all is tried again.
 * A message with no title and no lines (the rest of one) sends its files only.
 */
export async function sendInParts(message: Message, sendText: () => Promise<void>, sendFile: (f: MessageFile) => Promise<void>): Promise<void> {
  const files = message.files ?? [];
  let wentSome = false;
  if (message.title || message.lines.length) {
    await sendText();
    wentSome = true;
  }
  for (const [i, file] of files.entries()) {
    try {
      await sendFile(file);
      wentSome = true;
    } catch (err) {
      if (wentSome && typeof err === 'object' && err !== null) {
        Object.defineProperty(err, UNSENT, { value: { severity: message.severity, lines: [], files: files.slice(i) } satisfies Message });
      }
      throw err;
    }
  }
}

/** What a failed send still has to send, when it failed part-way (sendInParts); undefined when it all failed. */
export function unsentOf(err: unknown): Message | undefined {
  return typeof err === 'object' && err !== null ? (err as { [UNSENT]?: Message })[UNSENT] : undefined;
}

/** Copies the unsent part from the error a channel threw onto the error that replaces it. */
export function keepUnsent<E>(from: unknown, to: E): E {
  const rest = unsentOf(from);
  if (rest && typeof to === 'object' && to !== null) Object.defineProperty(to, UNSENT, { value: rest });
  return to;
}
