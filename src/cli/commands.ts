import type { TextKey } from '../i18n/text.ts';

/**
 * Every option the command line knows, for node's parseArgs, with the name of its value in the
 * help. Each command takes those its entry names, and every command --verbose and --help.
 */
export const OPTIONS = {
  store: { type: 'string', value: 'ID' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, out: { type: 'string', value: 'PATH' },
  into: { type: 'string', value: 'DB' }, to: { type: 'string', value: 'DIR' }, force: { type: 'boolean' }, ask: { type: 'string', value: 'TEXT' }, 'app-key': { type: 'string', value: 'KEY' },
  verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, link: { type: 'boolean' }, once: { type: 'boolean' }, concurrency: { type: 'string', value: 'N' },
  csv: { type: 'boolean' }, pdf: { type: 'string', value: 'FILE' }, 'ipos-url': { type: 'string', value: 'URL' }, schedule: { type: 'string', value: 'CRON' }, dir: { type: 'string', value: 'PATH' }, agent: { type: 'boolean' },
} as const;

export type OptionName = keyof typeof OPTIONS;
export type Options = { [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

/** The options every command takes, with their help. */
export const COMMON_OPTIONS = { verbose: 'optVerbose', help: 'optHelp' } as const satisfies Partial<Record<OptionName, TextKey>>;

/** A word a command takes after its name: needed unless optional; `rest` takes every word left, as one text. */
interface Word {
  name: string;
  optional?: boolean;
  rest?: boolean;
}

interface CommandInput {
  /** The command's words, as many as it names (a `rest` word holds the rest, joined by spaces). */
  words: string[];
  options: Options;
}

export interface Command {
  /** One word, or a group's and its own ("backup run"). */
  name: string;
  /** What follows the name in the usage line: its words and options. */
  usage: string;
  words: Word[];
  /** Options it cannot do without (a usage error names the one missing). */
  needs?: OptionName[];
  /** Its options with their help (OPTIONS' names). */
  options: Partial<Record<OptionName, TextKey>>;
  /** Its line in `tokobot help`, and the start of its own help. */
  summary: TextKey;
  /** What its own help says besides: what it prints, its exit codes. */
  more?: TextKey;
  /** Runs it: only here is the command's module loaded (so that --help loads no database or chat code). */
  run(input: CommandInput): Promise<number>;
}

const FILE: Word[] = [{ name: 'FILE' }];
const json = (o: Options) => o.json ?? false;

/** Every command, in the order `tokobot help` lists them. A new command is one entry here. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'start', usage: '', words: [], options: {}, summary: 'helpStart', more: 'moreStart',
    run: async () => (await import('./start.ts')).start(),
  },
  {
    name: 'worker', usage: '[--concurrency N]', words: [], options: { concurrency: 'optConcurrency' }, summary: 'helpWorker', more: 'moreWorker',
    run: async ({ options }) => (await import('./worker.ts')).worker(options.concurrency),
  },
  {
    name: 'agent', usage: '[--once]', words: [], options: { once: 'optOnce' }, summary: 'helpAgent', more: 'moreAgent',
    run: async ({ options }) => (await import('./agent.ts')).agent(options.once ?? false),
  },
  {
    name: 'web', usage: '[--link]', words: [], options: { link: 'optLink' }, summary: 'helpWeb', more: 'moreWeb',
    run: async ({ options }) => (await import('./web.ts')).web(options.link ?? false),
  },
  {
    name: 'sync', usage: '[--store ID] [--json]', words: [], options: { store: 'optStoreOne', json: 'optJson' }, summary: 'helpSync', more: 'moreSync',
    run: async ({ options }) => (await import('./store-commands.ts')).sync(options.store, json(options)),
  },
  {
    name: 'inspect', usage: 'FILE [--json]', words: FILE, options: { json: 'optJson' }, summary: 'helpInspect', more: 'moreInspect',
    run: async ({ words: [file], options }) => (await import('./inspect.ts')).inspect(file!, json(options)),
  },
  {
    name: 'status', usage: '[--json]', words: [], options: { json: 'optJson' }, summary: 'helpStatus', more: 'moreStatus',
    run: async ({ options }) => (await import('./store-commands.ts')).status(json(options)),
  },
  {
    name: 'report', usage: '[day|week] [--pdf FILE]', words: [{ name: 'PERIOD', optional: true }], options: { pdf: 'optPdf' }, summary: 'helpReport', more: 'moreReport',
    run: async ({ words: [period], options }) => (await import('./report-cli.ts')).report(period, options.pdf),
  },
  {
    name: 'ask', usage: '"TEXT" [--store ID] [--json]', words: [{ name: 'TEXT', rest: true }], options: { store: 'optStoreAsk', json: 'optJson' }, summary: 'helpAsk', more: 'moreAsk',
    run: async ({ words: [text], options }) => (await import('./ask.ts')).ask(text!, options.store, json(options)),
  },
  {
    name: 'export', usage: '[--store ID] [--csv] [--out PATH]', words: [], options: { store: 'optStoreOne', csv: 'optCsv', out: 'optOutList' }, summary: 'helpExport', more: 'moreExport',
    run: async ({ options }) => (await import('./export.ts')).exportList(options.store, options.csv ?? false, options.out),
  },
  {
    name: 'chat', usage: '[--store ID]', words: [], options: { store: 'optStoreChat' }, summary: 'helpChat', more: 'moreChat',
    run: async ({ options }) => (await import('./chat.ts')).chat(options.store),
  },
  {
    name: 'backup run', usage: 'JOB [--json]', words: [{ name: 'JOB' }], options: { json: 'optJson' }, summary: 'helpBackupRun', more: 'moreBackupRun',
    run: async ({ words: [job], options }) => (await import('./backup-cli.ts')).run(job!, json(options)),
  },
  {
    name: 'backup list', usage: '[--json]', words: [], options: { json: 'optJson' }, summary: 'helpBackupList',
    run: async ({ options }) => (await import('./backup-cli.ts')).list(json(options)),
  },
  {
    name: 'backup prune', usage: '[JOB] [--dry-run] [--json]', words: [{ name: 'JOB', optional: true }], options: { 'dry-run': 'optDryRun', json: 'optJson' }, summary: 'helpBackupPrune',
    run: async ({ words: [job], options }) => (await import('./backup-cli.ts')).prune(job, options['dry-run'] ?? false, json(options)),
  },
  {
    name: 'backup decrypt', usage: 'FILE [--out PATH]', words: FILE, options: { out: 'optOut' }, summary: 'helpBackupDecrypt', more: 'moreBackupDecrypt',
    run: async ({ words: [file], options }) => (await import('./backup-cli.ts')).decrypt(file!, options.out),
  },
  {
    name: 'restore-self', usage: 'FILE [--to DIR] [--force]', words: FILE, options: { to: 'optTo', force: 'optForce' }, summary: 'helpRestoreSelf', more: 'moreRestoreSelf',
    run: async ({ words: [file], options }) => (await import('./restore-self.ts')).restoreSelfCommand(file!, { to: options.to, force: options.force ?? false }),
  },
  {
    name: 'backup restore', usage: 'FILE --into DB', words: FILE, needs: ['into'], options: { into: 'optInto' }, summary: 'helpBackupRestore', more: 'moreBackupRestore',
    run: async ({ words: [file], options }) => (await import('./backup-cli.ts')).restore(file!, options.into!),
  },
  {
    name: 'store add', usage: 'ID', words: [{ name: 'ID' }], options: {}, summary: 'helpStoreAdd', more: 'moreStoreAdd',
    run: async ({ words: [id] }) => (await import('./agent-store-cli.ts')).add(id!),
  },
  {
    name: 'store revoke', usage: 'ID', words: [{ name: 'ID' }], options: {}, summary: 'helpStoreRevoke', more: 'moreStoreRevoke',
    run: async ({ words: [id] }) => (await import('./agent-store-cli.ts')).revoke(id!),
  },
  {
    name: 'store list', usage: '[--json]', words: [], options: { json: 'optJson' }, summary: 'helpStoreList', more: 'moreStoreList',
    run: async ({ options }) => (await import('./agent-store-cli.ts')).list(json(options)),
  },
  {
    name: 'demo', usage: '[--ask TEXT]', words: [], options: { ask: 'optAsk' }, summary: 'helpDemo', more: 'moreDemo',
    run: async ({ options }) => (await import('./demo.ts')).demo(options.ask),
  },
  {
    name: 'doctor', usage: '[--agent] [--json]', words: [], options: { agent: 'optAgent', json: 'optJson' }, summary: 'helpDoctor', more: 'moreDoctor',
    run: async ({ options }) => (await import('./doctor.ts')).doctorCommand(json(options), options.agent ?? false),
  },
  {
    name: 'dropbox-auth', usage: '[--app-key KEY]', words: [], options: { 'app-key': 'optAppKey' }, summary: 'helpDropboxAuth', more: 'moreDropboxAuth',
    run: async ({ options }) => (await import('./dropbox-auth.ts')).dropboxAuth(options['app-key']),
  },
  {
    name: 'agent enroll', usage: 'URL TOKEN [--ipos-url URL] [--schedule CRON] [--dir PATH] [--json]', words: [{ name: 'URL' }, { name: 'TOKEN' }],
    options: { 'ipos-url': 'optIposUrl', schedule: 'optSchedule', dir: 'optDir', json: 'optJson' }, summary: 'helpAgentEnroll', more: 'moreAgentEnroll',
    run: async ({ words: [url, token], options }) => (await import('./agent-enroll.ts')).enrollCommand(url!, token!, {
      iposUrl: options['ipos-url'], schedule: options.schedule, dir: options.dir, json: json(options),
    }),
  },
  {
    name: 'help', usage: '[COMMAND]', words: [{ name: 'COMMAND', optional: true, rest: true }], options: {}, summary: 'helpHelp',
    run: async ({ words: [name] }) => (await import('./help.ts')).help(name),
  },
];
