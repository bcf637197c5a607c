import type { Lang } from '../i18n/lang.ts';
import { t, type TextKey } from '../i18n/text.ts';
import { COMMANDS, COMMON_OPTIONS, OPTIONS, type Command, type OptionName } from './commands.ts';
import { findCommand, groupCommands } from './parse-command.ts';
import { cliLang, print } from './print.ts';

/** "sync the newest…" as a sentence: capital, full stop. */
const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.?!]$/.test(text) ? '' : '.'}`;

const usageOf = (c: Command) => `${c.name} ${c.usage}`.trim();

/** Each command's usage and what it does, lined up. */
function commandList(commands: readonly Command[], lang: Lang): string[] {
  const width = Math.max(...commands.map((c) => usageOf(c).length)) + 2;
  return commands.map((c) => `  ${usageOf(c).padEnd(width)}${t(lang, c.summary)}`);
}

/** `tokobot help`, and `tokobot` alone. */
function overview(lang: Lang): string {
  return [t(lang, 'cliUsage', { usage: 'COMMAND [OPTIONS]' }), '', t(lang, 'cliCommands'), ...commandList(COMMANDS, lang), '', t(lang, 'cliUsageEnd')].join('\n');
}

function optionLines(options: Partial<Record<OptionName, TextKey>>, lang: Lang): string[] {
  const shown = Object.entries({ ...options, ...COMMON_OPTIONS }).map(([name, text]) => {
    const option = OPTIONS[name as OptionName];
    const value = 'value' in option ? ` ${option.value}` : '';
    return [`${'short' in option ? `-${option.short}, ` : ''}--${name}${value}`, t(lang, text)] as const;
  });
  const width = Math.max(...shown.map(([flag]) => flag.length)) + 2;
  return shown.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}

/** `tokobot help COMMAND`, `tokobot COMMAND --help`: its usage, what it does, its options. */
function commandHelp(c: Command, lang: Lang): string {
  const about = [sentence(t(lang, c.summary)), ...(c.more ? [t(lang, c.more)] : [])];
  return [t(lang, 'cliUsage', { usage: usageOf(c) }), '', ...about, '', t(lang, 'cliOptions'), ...optionLines(c.options, lang)].join('\n');
}

/** `tokobot help backup`: the group's commands. */
function groupHelp(group: string, lang: Lang): string {
  return [t(lang, 'cliUsage', { usage: `${group} COMMAND [OPTIONS]` }), '', t(lang, 'cliCommands'), ...commandList(groupCommands(group), lang)].join('\n');
}

/** The help on a command, a group, or (undefined) every command, in the language of the run. */
export function helpText(topic: Command | string | undefined): string {
  const lang = cliLang();
  if (topic === undefined) return overview(lang);
  return typeof topic === 'string' ? groupHelp(topic, lang) : commandHelp(topic, lang);
}

/** `tokobot help [COMMAND]`: an unknown one is a usage error naming it, with the nearest known. */
export async function help(name: string | undefined): Promise<number> {
  print(helpText(name ? findCommand(name.split(/\s+/)).found : undefined));
  return 0;
}
