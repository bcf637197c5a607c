/**
 * What a command answers, before any channel renders it: Telegram as HTML with buttons, the
 * terminal and `tokobot ask` as plain text, WhatsApp as its own text.
 */
export interface Button {
  text: string;
  /** Opaque data the channel sends back when the button is pressed. */
  data: string;
}

export interface Reply {
  severity: 'info' | 'warning' | 'error';
  title?: string;
  lines: string[];
  buttons?: Button[][];
}
