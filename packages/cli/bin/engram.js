#!/usr/bin/env node
// The `engram` executable as committed to git (with its executable bit), so that
// `npx engram` works after `npm install && npm run build` even though the
// compiler writes dist/bin.js without one. It only loads the compiled CLI.
import '../dist/bin.js';
