#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` or `npm run build`). Without a build, or
// when a source file changed after it (development), runs the TypeScript sources through tsx.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function builtAndCurrent() {
  let built;
  try {
    built = statSync(`${root}dist/.built`).mtimeMs;
  } catch {
    return false;
  }
  const sources = readdirSync(`${root}src`, { recursive: true, withFileTypes: true });
  return sources.every((f) => !f.isFile() || statSync(`${f.parentPath}/${f.name}`).mtimeMs <= built);
}

let cli;
if (builtAndCurrent()) {
  cli = await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig whatever the working directory: tsx looks for it in the working
  // directory, and without it the dashboard's JSX (hono/jsx) would compile for React.
  register({ tsconfig: `${root}tsconfig.json` });
  cli = await import('../src/cli.ts');
}
process.exitCode = await cli.runCli(process.argv.slice(2));
