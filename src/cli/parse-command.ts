import { parseArgs } from 'node:util';
import { AppError } from '../errors.ts';
import { t, type TextKey, type TextParams } from '../i18n/text.ts';
import { closest } from './closest.ts';
import { COMMANDS, COMMON_OPTIONS, OPTIONS, type Command, type OptionName, type Options } from './commands.ts';
import { cliLang } from './print.ts';

/** What the arguments ask for: a command run, help (on a command, on a group such as "backup", or on all), or nothing. */
type Request =
  | { kind: 'run'; command: Command; words: string[]; options: Options }
  | { kind: 'help'; topic: Command | string | undefined }
  | { kind: 'none' };

const usageError = (text: string) => new AppError('usage', 'tokobot', text);

/** A problem with the way `command` was given, then its usage line: "tokobot sync has no option --into: tokobot sync [--store ID] [--json]". */
function misused(command: Command, key: TextKey, params: TextParams = {}): AppError {
  const problem = t(cliLang(), key, { command: command.name, ...params });
  return usageError(t(cliLang(), 'cliHowTo', { problem, usage: `${command.name} ${command.usage}`.trim() }));
}

/** The first words of the commands' names: each single command, and each group ("backup"). */
const firstWords = () => [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))];

/** An unknown command, named, with the nearest known one (`known`: the names it could have meant, in its group). */
function unknown(name: string, known: string[], group?: string): AppError {
  const lang = cliLang();
  const near = closest(group ? name.slice(group.length + 1) : name, known);
  const hint = near ? t(lang, 'cliDidYouMean', { name: group ? `${group} ${near}` : near }) : t(lang, 'cliSeeHelp');
  return usageError(`${t(lang, 'cliUnknownCommand', { name })}; ${hint}`);
}

/**
 * The command (or group) `words` begin with, and the words after its name. A group not followed
 * by one of its commands comes back as its name ("backup"): help on it, or a usage error.
 */
export function findCommand(words: string[]): { found: Command | string; rest: string[] } {
  const [first = '', second, ...others] = words;
  // A group's command before a command of the group's name: "agent enroll URL TOKEN" is not `agent` given three words.
  const named = second === undefined ? undefined : COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (named) return { found: named, rest: others };
  const single = COMMANDS.find((c) => c.name === first);
  if (single) return { found: single, rest: words.slice(1) };
  if (!COMMANDS.some((c) => c.name.startsWith(`${first} `))) throw unknown(first, firstWords());
  if (second === undefined) return { found: first, rest: [] };
  const sub = COMMANDS.find((c) => c.name === `${first} ${second}`);
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.slice(first.length + 1));
  if (!sub) throw unknown(`${first} ${second}`, subs, first);
  return { found: sub, rest: others };
}

/** The group's commands, for "tokobot backup needs one of: run, list, …". */
export const groupCommands = (group: string): Command[] => COMMANDS.filter((c) => c.name.startsWith(`${group} `));

type Token = { kind: string; name?: string; rawName?: string; value?: string; inlineValue?: boolean };

/** Each option given: known, with a value when it takes one (and none when it does not), and one this command takes. */
function checkOptions(command: Command, tokens: Token[]): void {
  for (const token of tokens) {
    if (token.kind !== 'option' || !token.name) continue;
    const option = token.rawName ?? `--${token.name}`;
    if (!Object.hasOwn(OPTIONS, token.name)) throw misused(command, 'cliUnknownOption', { option });
    const name = token.name as OptionName;
    if (OPTIONS[name].type === 'string' && token.value === undefined) throw misused(command, 'cliOptionValue', { option });
    if (OPTIONS[name].type === 'boolean' && token.inlineValue) throw misused(command, 'cliOptionNoValue', { option });
    if (!Object.hasOwn(command.options, name) && !Object.hasOwn(COMMON_OPTIONS, name)) throw misused(command, 'cliNotItsOption', { option });
  }
  for (const name of command.needs ?? []) {
    const option = OPTIONS[name];
    if (!tokens.some((token) => token.kind === 'option' && token.name === name)) throw misused(command, 'cliMissingWord', { word: `--${name}${'value' in option ? ` ${option.value}` : ''}` });
  }
}

/** The command's words from what followed its name: each needed one there and not blank, none left over. */
function takeWords(command: Command, given: string[]): string[] {
  const left = [...given];
  const words: string[] = [];
  for (const word of command.words) {
    const value = (word.rest ? left.splice(0).join(' ') : left.shift() ?? '').trim();
    if (!value && !word.optional) throw misused(command, 'cliMissingWord', { word: word.name });
    words.push(value);
  }
  if (left.length) throw misused(command, 'cliExtraWord', { word: left[0]! });
  return words;
}

/**
 * What `argv` asks for. --help (or -h) anywhere asks for help on the command named, and nothing
 * is run or checked beyond its name; a wrong word or option is a usage error naming it.
 */
export function parseCommand(argv: string[]): Request {
  // Not strict: a wrong option is told in the reader's language, with the command's usage (checkOptions).
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  if (!positionals.length) return values.help ? { kind: 'help', topic: undefined } : { kind: 'none' };
  const { found, rest } = findCommand(positionals);
  if (values.help) return { kind: 'help', topic: found };
  if (typeof found === 'string') {
    throw usageError(t(cliLang(), 'cliNeedsSub', { group: found, subs: groupCommands(found).map((c) => c.name.slice(found.length + 1)) }));
  }
  checkOptions(found, tokens);
  return { kind: 'run', command: found, words: takeWords(found, rest), options: values as Options };
}
