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
  /** Files that go with the text (a report's chart and PDF); a channel that cannot send files says so in the text it sends. */
  files?: MessageFile[];
  /**
   * The same message as an HTML fragment, for e-mail (a report's tables), escaped by whoever made
   * it; an image among `files` is shown in it as <img src="cid:NAME"> (NAME: the file's name).
   * Chat channels send the lines.
   */
  html?: string;
}

/** The kinds of file a message carries: pictures are shown, the others go as documents. */
export const MESSAGE_FILE_TYPES = ['image/png', 'image/jpeg', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] as const;
export type MessageFileType = (typeof MESSAGE_FILE_TYPES)[number];

/**
 * A file sent with a message: an image is shown (a chart), any other type goes as a document (a
 * PDF). The bytes are base64 so that a queued message stays JSON in the outbox.
 */
export interface MessageFile {
  name: string;
  type: MessageFileType;
  base64: string;
}
