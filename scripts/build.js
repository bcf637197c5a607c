#!/usr/bin/env node
// `npm run build`, and `prepare` after `npm install`: compiles src/ to dist/ so that bin/tokobot.js
// starts without compiling TypeScript. Where typescript is not installed (npm ci --omit=dev, as in
// the Docker image) there is nothing to do: bin/tokobot.js then runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  // The package exports no path to its bin; its package.json is exported, and bin/tsc sits beside it.
  tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  console.log('build: typescript is not installed; tokobot runs from its TypeScript sources');
  process.exit(0);
}
rmSync(`${root}dist`, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// The dashboard's own script is served as written, not compiled (src/web/routes/live.ts reads it beside itself).
cpSync(`${root}src/web/static`, `${root}dist/web/static`, { recursive: true });
// bin/tokobot.js runs dist/ only while no source is newer than this mark.
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
