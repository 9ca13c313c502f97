#!/usr/bin/env node
// Runs every package's tests (lerna, one at a time, unsorted so that a failing package hides no other) and the
// cross-package tests under test/, streaming their output, then prints one
// closing line with the totals over all suites: "Total: N passed, N failed, N skipped".
import { spawn } from 'node:child_process';

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let pending = '';
    const scan = (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) count(strip(line));
    };
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      scan(d.toString());
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => {
      count(strip(pending));
      resolve(code ?? 1);
    });
  });
}

function count(line) {
  // mocha's closing lines, possibly prefixed by lerna's "@scope/pkg: "
  const m = /(?:^|:\s+)\s*(\d+) (passing|failing|pending)\b/.exec(line);
  if (!m) return;
  const n = Number(m[1]);
  if (m[2] === 'passing') totals.passed += n;
  else if (m[2] === 'failing') totals.failed += n;
  else totals.skipped += n;
}

const codes = [];
codes.push(await run('npx', ['lerna', 'run', 'test', '--concurrency', '1', '--stream', '--no-bail', '--no-sort']));
codes.push(await run('npx', ['mocha', '--config', 'test/.mocharc.json']));
console.log(`\nTotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(codes.some((c) => c !== 0) || totals.failed > 0 || totals.passed === 0 ? 1 : 0);
