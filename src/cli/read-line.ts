import { createInterface } from 'node:readline';
import { cliIo } from './print.ts';

/** The first line of stdin (a passphrase, a code). */
export async function readLine(): Promise<string> {
  const rl = createInterface({ input: cliIo().stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}
