import { createRequire } from 'node:module';

/**
 * tokobot's version, from package.json: one place to bump. src/version.ts and its build,
 * dist/version.js, both sit one folder below the package's root.
 */
export const TOKOBOT_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
