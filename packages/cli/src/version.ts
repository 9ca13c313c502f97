import { createRequire } from 'node:module';

/** Version of @engram/cli (from its package.json). */
export const cliVersion: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
