import { createInterface } from 'node:readline';
import { LOCAL_OPERATOR, type Chat } from '../bot/access.ts';
import type { ButtonData } from '../bot/button-codec.ts';
import { renderText } from '../bot/render-text.ts';
import type { Reply } from '../bot/reply.ts';
import { t, type Lang } from '../i18n/text.ts';
import type { TerminalCore } from '../main/terminal-core.ts';
import { cliIo, print } from './print.ts';

const HERE: Chat = { id: LOCAL_OPERATOR, kind: 'private' };
const NAME = 'terminal';

const QUIT = new Set(['/keluar', '/exit', '/quit']);
const NEXT = new Set(['lanjut', 'n', 'next', 'berikut', 'berikutnya']);
const PREVIOUS = new Set(['kembali', 'p', 'prev', 'back', 'sebelumnya']);
const NUMBER = /^\d{1,4}$/;

/** What the reader can type now, for the buttons of the last reply: numbers for cards and choices, words for pages. */
interface Choices {
  numbered: Map<string, string>;
  next?: Turn;
  previous?: Turn;
}

interface Turn { data: string; page: number }

const NONE: Choices = { numbered: new Map() };

/** The number the core gave a result in its button ("12. INDOMIE…"), and the name after it. */
const numberedButton = (text: string) => /^(\d+)\. (.*)$/s.exec(text);

/**
 * A reply for the terminal, with its buttons as what to type: the results numbered (the number
 * of each item's button, which opens its card), other choices (stores, backup jobs) listed with
 * numbers, pages as "lanjut" and "kembali", and a last line saying so. `page`: the page shown
 * before, to tell the page buttons apart.
 */
async function offer(reply: Reply, decode: TerminalCore['buttons']['decode'], page: number, lang: Lang): Promise<{ text: string; choices: Choices }> {
  const lines = [...reply.lines];
  const choices: Choices = { numbered: new Map() };
  const cards: string[] = [];
  const picks: string[] = [];
  let lineAt = 0;
  for (const button of reply.buttons?.flat() ?? []) {
    const data: ButtonData | null = await decode(button.data);
    if (!data) continue;
    if (data.kind === 'page') {
      choices[data.page > page ? 'next' : 'previous'] = { data: button.data, page: data.page };
      continue;
    }
    const numbered = data.kind === 'item' ? numberedButton(button.text) : null;
    const key = numbered?.[1] ?? String(choices.numbered.size + 1);
    choices.numbered.set(key, button.data);
    if (data.kind !== 'item') {
      picks.push(key);
      lines.push(`${key}. ${button.text}`);
      continue;
    }
    cards.push(key);
    // The results' lines come in the order of their buttons, each starting with the item's name.
    const name = numbered?.[2] ?? button.text;
    const at = lines.findIndex((line, i) => i >= lineAt && line.startsWith(name));
    if (at >= 0) {
      lines[at] = `${key}. ${lines[at]}`;
      lineAt = at + 1;
    } else {
      lines.push(`${key}. ${button.text}`);
    }
  }
  const range = (keys: string[]) => (keys.length > 1 ? `${keys[0]}–${keys.at(-1)}` : keys[0] ?? '');
  const hints = [
    ...(cards.length ? [t(lang, 'termCards', { range: range(cards) })] : []),
    ...(picks.length ? [t(lang, 'termChoose', { range: range(picks) })] : []),
    ...(choices.next ? [t(lang, 'termNext')] : []),
    ...(choices.previous ? [t(lang, 'termPrev')] : []),
  ];
  if (hints.length) lines.push(`→ ${hints.join(' · ')}`);
  if (reply.document) lines.push(reply.document.path); // its caption is the reply's text
  return { text: renderText({ ...reply, lines }), choices };
}

/**
 * The bot's chat in a terminal, for the local operator (owner): each line of standard input is
 * a message to the command core, each reply is printed with its buttons as words and numbers
 * (see offer). Ends at the end of input or /keluar (/exit).
 */
export class TerminalChat {
  private choices: Choices = NONE;
  private page = 0;

  constructor(private readonly terminal: Pick<TerminalCore, 'core' | 'chat' | 'buttons'>) {}

  private async lang(): Promise<Lang> {
    return (await this.terminal.chat.user(LOCAL_OPERATOR)).lang;
  }

  /** A press of one of the last reply's buttons, or a message; what the reader typed decides which. */
  private async answer(text: string): Promise<Reply | null> {
    const word = text.toLowerCase();
    const numbered = NUMBER.test(word) ? this.choices.numbered.get(String(Number(word))) : undefined;
    if (numbered) return this.press(numbered);
    const turning = NEXT.has(word) || PREVIOUS.has(word);
    const turn = NEXT.has(word) ? this.choices.next : PREVIOUS.has(word) ? this.choices.previous : undefined;
    if (turn) {
      this.page = turn.page;
      return this.press(turn.data);
    }
    // "lanjut" under a list with no page after it; elsewhere it is a message like any other.
    if (turning && this.choices !== NONE) return { severity: 'info', lines: [t(await this.lang(), 'termNoPage')] };
    const reply = await this.terminal.core.message({ userId: LOCAL_OPERATOR, name: NAME, text, access: 'owner', chat: HERE });
    this.choices = NONE;
    this.page = 0;
    return reply;
  }

  private async press(data: string): Promise<Reply | null> {
    const reply = await this.terminal.core.action(LOCAL_OPERATOR, NAME, data, HERE, 'owner');
    // A card leaves the list it came from open (its numbers still work); a new page or a choice made replaces it.
    if (reply?.replace) this.choices = NONE;
    return reply;
  }

  /** What one line gets back, printed. */
  async say(text: string): Promise<void> {
    let reply = await this.answer(text);
    if (!reply) return;
    const show = async (r: Reply) => {
      const shown = await offer(r, (d) => this.terminal.buttons.decode(d), this.page, await this.lang());
      if (r.buttons?.length) this.choices = shown.choices;
      print(shown.text);
    };
    await show(reply);
    if (reply.live) {
      const lang = await this.lang();
      // As the core's own errors: what went wrong and what to do, then the detail.
      reply = await reply.live(async (r) => { print(`  … ${r.lines.join(' ')}`); }).catch((err: unknown) => this.terminal.core.failure(err, lang, LOCAL_OPERATOR));
      await show(reply);
    }
  }

  /** Line by line from standard input, with a prompt, until its end, /keluar or Ctrl-C. */
  async run(): Promise<void> {
    print(`\n${t(await this.lang(), 'termIntro')}`);
    const rl = createInterface({ input: cliIo().stdin, output: cliIo().stdout, prompt: 'tokobot> ' });
    // On a terminal readline takes Ctrl-C itself and, unheard, only pauses: it ends the chat, as Ctrl-D does.
    rl.on('SIGINT', () => rl.close());
    try {
      rl.prompt();
      for await (const line of rl) {
        const text = line.trim();
        if (QUIT.has(text.toLowerCase())) break;
        if (text) await this.say(text).catch((err: Error) => print(err.message));
        rl.prompt();
      }
    } finally {
      rl.close();
    }
  }
}
