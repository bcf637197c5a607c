// Loaded with --import into the tokobot process under test: writes its performance marks (ms since
// the process started) and the time of its exit, as JSON, when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.TOKOBOT_MARKS_FILE) return;
  const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
  writeFileSync(process.env.TOKOBOT_MARKS_FILE, JSON.stringify({ ...marks, exit: performance.now() }));
});
