import type { Message } from '../message.ts';
import type { ItemPicture } from '../pipeline/item-picture.ts';

/**
 * What a command answers, before any channel renders it: Telegram as HTML with buttons, the
 * terminal and `tokobot ask` as plain text, WhatsApp as its own text.
 */
export interface Button {
  text: string;
  /** Opaque data the channel sends back when the button is pressed (at most 64 bytes). */
  data: string;
}

export interface Reply extends Message {
  buttons?: Button[][];
  /** For a button press: show this in place of the message that had the button (pages, choices). */
  replace?: boolean;
  /** A file to send with the reply (the /export CSV). */
  document?: { path: string; filename: string; caption: string };
  /**
   * An item's picture (the item card only): a channel that shows pictures sends it after the text;
   * read and converted only then, and not at all where Telegram already has it (picture file ids).
   */
  picture?: ItemPicture;
  /**
   * Work that reports as it goes (a sync): the channel shows this reply first, then calls
   * `live` with a function that replaces the shown reply, and shows what `live` returns last.
   */
  live?: (update: (r: Reply) => Promise<void>) => Promise<Reply>;
}

export const say = (lines: string[], severity: Reply['severity'] = 'info', title?: string): Reply => ({ severity, title, lines });

/**
 * Progress of a live reply, as edits: a new stage always shows, counts within a stage at most
 * every 2 s (Telegram lets a chat be edited about once a second).
 */
export function progressEdits<P extends { stage: string }>(update: (r: Reply) => Promise<void>, render: (p: P) => Reply): (p: P) => void {
  let last = 0;
  let lastStage = '';
  return (p) => {
    const now = Date.now();
    if (p.stage === lastStage && now - last < 2000) return;
    last = now;
    lastStage = p.stage;
    void update(render(p)).catch(() => undefined);
  };
}
