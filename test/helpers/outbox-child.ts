// A process that queues heartbeat reports into an outbox without end, printing each seq once it is
// on disk, until it is killed (test/store/report-outbox.test.ts kills it with SIGKILL). Its trigger
// field carries the report's number, so the test can tell a report given two seqs.
import { ReportOutbox } from '../../src/store/file/report-outbox.ts';
import { sampleBeat } from './agent-reports.ts';

const [dir, from] = process.argv.slice(2) as [string, string];
const outbox = await ReportOutbox.open(dir);
for (let n = Number(from); n < Number(from) + 100_000; n++) {
  const seq = await outbox.enqueue({ type: 'heartbeat', beat: sampleBeat({ timeZone: `n${n}` }) });
  process.stdout.write(`${n} ${seq}\n`);
  if (n % 7 === 0) await outbox.ackThrough(seq - 3);
}
