// Loaded with --import into the tokobot process under test: writes its peak RSS (kB) at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.TOKOBOT_RSS_FILE) writeFileSync(process.env.TOKOBOT_RSS_FILE, String(process.resourceUsage().maxRSS));
});
