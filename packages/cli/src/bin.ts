#!/usr/bin/env node
/** The `engram` executable: runs {@link main} on the process arguments. */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`engram: internal error: ${String(err)}\n`);
    process.exit(1);
  },
);
