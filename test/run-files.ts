/**
 * How `npm test` runs its files (run-tests.ts finds the servers and the files): each in a process
 * of its own through node's test runner, `slots` at a time, the slowest first by
 * test/file-times.txt so that the run ends on short files; at most one file of a group at a time.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { run } from 'node:test';
import { tap } from 'node:test/reporters';

export interface TestFile { file: string; group?: string; seconds?: number }

export interface FileResult {
  file: string;
  seconds: number;
  pass: number;
  /** Failed or cancelled (a file that never ended its tests, or exited before). */
  fail: number;
  skipped: number;
  /** The reason of each skipped test. */
  skips: string[];
  /** The file's report, in TAP. */
  report: string;
}

const TIMES_FILE = new URL('./file-times.txt', import.meta.url);
/**
 * A file still running after this long is stopped and fails (a test waiting on something that never
 * comes, or a timer left running after its tests): every run ends. The slowest file takes about a
 * minute alone.
 */
const FILE_TIMEOUT_MS = 10 * 60_000;
/** A file not in test/file-times.txt yet (a new one) is taken to be this slow: it starts before the many short ones. */
const UNKNOWN_SECONDS = 10;

async function runFile(file: string, signal: AbortSignal): Promise<FileResult> {
  const started = Date.now();
  const r: FileResult = { file, seconds: 0, pass: 0, fail: 0, skipped: 0, skips: [], report: '' };
  const stream = run({ files: [file], signal, timeout: FILE_TIMEOUT_MS });
  // The runner's own closing counts ("# pass 3") for the file.
  stream.on('test:diagnostic', ({ nesting, message }) => {
    const [, what, n] = /^(pass|fail|cancelled|skipped) (\d+)$/.exec(message) ?? [];
    if (nesting !== 0 || !what) return;
    if (what === 'pass') r.pass = Number(n);
    else if (what === 'skipped') r.skipped = Number(n);
    else r.fail += Number(n);
  });
  stream.on('test:pass', ({ skip }) => {
    if (skip) r.skips.push(typeof skip === 'string' ? skip : '(no reason given)');
  });
  try {
    for await (const chunk of stream.compose(tap)) r.report += String(chunk);
  } catch (err) {
    r.fail += 1;
    r.report += `\n# the runner failed on ${file}: ${err instanceof Error ? err.stack : String(err)}\n`;
  }
  r.seconds = (Date.now() - started) / 1000;
  return r;
}

/** Runs `files`, `slots` at a time, the slowest known first; `onFile` has each result as its file ends. */
export async function runFiles(files: TestFile[], o: { slots: number; signal: AbortSignal; onFile: (r: FileResult) => void }): Promise<FileResult[]> {
  const queue = [...files].sort((a, b) => (b.seconds ?? UNKNOWN_SECONDS) - (a.seconds ?? UNKNOWN_SECONDS));
  const busyGroups = new Set<string>();
  const running = new Set<Promise<void>>();
  const results: FileResult[] = [];
  while (queue.length || running.size) {
    const next = running.size < o.slots ? queue.findIndex((f) => !f.group || !busyGroups.has(f.group)) : -1;
    if (next < 0) {
      await Promise.race(running);
      continue;
    }
    const [f] = queue.splice(next, 1) as [TestFile];
    if (f.group) busyGroups.add(f.group);
    const done: Promise<void> = runFile(f.file, o.signal).then((r) => {
      results.push(r);
      o.onFile(r);
    }).finally(() => {
      if (f.group) busyGroups.delete(f.group);
      running.delete(done);
    });
    running.add(done);
  }
  return results;
}

/** The skipped tests by reason, and the `slowest` slowest files. */
export function summary(results: FileResult[], slowest: number): string {
  const reasons = new Map<string, number>();
  for (const reason of results.flatMap((r) => r.skips)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  let out = '';
  if (reasons.size) {
    out += `\nSkipped ${[...reasons.values()].reduce((a, b) => a + b, 0)} test(s), by reason:\n`;
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) out += `  ${String(n).padStart(3)} × ${reason}\n`;
  }
  out += '\nSlowest files:\n';
  for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, slowest)) out += `  ${r.seconds.toFixed(1).padStart(6)} s  ${r.file}\n`;
  return out;
}

/** test/file-times.txt: seconds, then the file, one a line. */
export function knownTimes(): Map<string, number> {
  if (!existsSync(TIMES_FILE)) return new Map();
  const lines = readFileSync(TIMES_FILE, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  return new Map(lines.map((l) => l.trim().split(/\s+/)).map(([seconds, file]) => [file ?? '', Number(seconds)]));
}

/** Keeps the times of this run in test/file-times.txt, beside those of the files it did not run. */
export function recordTimes(known: Map<string, number>, results: FileResult[]): void {
  const all = new Map(known);
  for (const r of results) all.set(r.file, r.seconds);
  const lines = [...all].filter(([file]) => existsSync(file)).sort((a, b) => b[1] - a[1]).map(([file, s]) => `${s.toFixed(1).padStart(6)} ${file}`);
  writeFileSync(TIMES_FILE, `# Seconds each test file took when last measured (\`npm test -- --record-times\`): the slowest start first.\n${lines.join('\n')}\n`);
}
