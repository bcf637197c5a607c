import type { Lang } from '../../i18n/lang.ts';
import type { Message } from '../../message.ts';

/** The severity as a mail client's list shows it, first in the subject: an owner sorts a full inbox by it. */
const SEVERITY: Record<Message['severity'], Record<Lang, string>> = {
  error: { id: 'PENTING', en: 'CRITICAL' },
  warning: { id: 'Peringatan', en: 'Warning' },
  info: { id: 'Info', en: 'Info' },
};
const ICON: Record<Message['severity'], string> = { info: '', warning: '⚠️ ', error: '❗ ' };
const COLOUR: Record<Message['severity'], string> = { info: '#1d4ed8', warning: '#b45309', error: '#b91c1c' };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A subject is one line: a title never carries a newline into the header. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A file of the e-mail: an image shown in the HTML (by its content id), a PDF attached. */
export interface EmailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Set for an image shown inline: the HTML's <img src="cid:…">. */
  cid?: string;
}

export interface RenderedEmail {
  subject: string;
  /** The plain-text part: what a text-only client (or a phone's preview) shows. */
  text: string;
  html: string;
  /** The message's files (a report's chart and PDF); none for an alert. */
  attachments: EmailAttachment[];
}

/** The message's files as attachments: images with a content id (shown inline), the rest plain attachments. */
function attachmentsOf(message: Message): EmailAttachment[] {
  return (message.files ?? []).map((f) => ({
    filename: f.name, content: Buffer.from(f.base64, 'base64'), contentType: f.type,
    ...(f.type === 'image/png' ? { cid: f.name } : {}),
  }));
}

/**
 * A message as an e-mail in `lang` (the recipient's): the subject with the severity and the title
 * ("[PENTING] tokobot: Backup harian GAGAL"; a digest's title carries its count), the same lines
 * as HTML and as plain text. Inline styles only: mail clients drop <style> blocks. Its files go
 * with it: an image (a report's chart) shown in the HTML, a PDF attached for the owner to forward.
 */
export function renderEmail(message: Message, lang: Lang): RenderedEmail {
  const title = message.title ?? message.lines[0] ?? 'tokobot';
  const subject = `[${SEVERITY[message.severity][lang]}] tokobot: ${oneLine(title)}`;
  const head = message.title ? [`${ICON[message.severity]}${message.title}`] : [];
  const text = [...head, ...message.lines].join('\n');
  const heading = message.title
    ? `<h2 style="margin:0 0 12px;font-size:18px;color:${COLOUR[message.severity]}">${escapeHtml(ICON[message.severity] + message.title)}</h2>\n` : '';
  const attachments = attachmentsOf(message);
  const images = attachments.filter((a) => a.cid).map((a) => `<p style="margin:12px 0"><img src="cid:${a.cid}" alt="${escapeHtml(a.filename)}" style="max-width:100%"></p>`);
  const body = message.html ?? [...message.lines.map((l) => `<p style="margin:0 0 8px">${escapeHtml(l)}</p>`), ...images].join('\n');
  const html = `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(oneLine(title))}</title></head>\n`
    + `<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4;color:#111">\n${heading}${body}\n</body></html>\n`;
  return { subject, text, html, attachments };
}
