import type { InlineQueryResultArticle } from 'grammy/types';
import type { InlineItem } from '../inline-replies.ts';
import { renderHtml } from './render-html.ts';

/** Inline items as Telegram articles: picking one sends its message, as HTML like every other answer. */
export function renderInline(items: InlineItem[]): InlineQueryResultArticle[] {
  return items.map((item) => ({
    type: 'article', id: item.id, title: item.title, description: item.description,
    input_message_content: { message_text: renderHtml(item.message).text, parse_mode: 'HTML' },
  }));
}
