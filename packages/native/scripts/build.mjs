#!/usr/bin/env node
/**
 * Builds the addon with node-gyp, tolerating failure: engram runs without it
 * (on the plain wasm path), so a machine without a C++ compiler, Python (which
 * node-gyp needs) or Node's headers must still install. Prints ONE line saying
 * what happened; the full node-gyp output goes to build/build.log.
 *
 *   node scripts/build.mjs [--verbose] [--strict]
 *
 * --strict exits 1 when the build fails (for CI jobs that want the native path).
 * Skipped when $ENGRAM_NATIVE is 0/false/off. Node's headers are taken from the
 * installation itself (<prefix>/include/node, as Debian's nodejs ships them)
 * when present, so no download is needed; otherwise node-gyp fetches them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const strict = process.argv.includes('--strict');
const say = (line) => process.stderr.write(`@engram/native: ${line}\n`);

const off = (process.env.ENGRAM_NATIVE ?? '').trim().toLowerCase();
if (['0', 'false', 'off', 'no'].includes(off)) {
  say('build skipped ($ENGRAM_NATIVE is off); engram will use the wasm path');
  process.exit(0);
}

/** node-gyp: the one npm runs lifecycle scripts with, else npm's bundled copy next to this node, else PATH. */
function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  const prefix = dirname(dirname(process.execPath));
  for (const p of [join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')]) {
    if (existsSync(p)) return [process.execPath, p];
  }
  return ['node-gyp'];
}

const args = ['rebuild', '--release', '-j', '2'];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);

const [cmd, ...pre] = nodeGyp();
const t0 = Date.now();
const r = spawnSync(cmd, [...pre, ...args], { cwd: root, encoding: 'utf8', env: process.env, maxBuffer: 64 << 20 });
const log = `$ ${[cmd, ...pre, ...args].join(' ')}\n${r.stdout ?? ''}\n${r.stderr ?? ''}\n${r.error ? String(r.error) : ''}`;
mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(join(root, 'build', 'build.log'), log);
if (verbose) process.stderr.write(log);
const built = r.status === 0 && existsSync(join(root, 'build', 'Release', 'engram_native.node'));
if (built) {
  say(`built build/Release/engram_native.node in ${((Date.now() - t0) / 1000).toFixed(0)} s (OpenBLAS is loaded at run time: apt-get install libopenblas0-pthread)`);
  process.exit(0);
}
const why = r.error ? String(r.error.message) : (r.stderr ?? '').split('\n').find((l) => /error/i.test(l)) ?? `exit ${r.status}`;
say(`build failed (${why.trim().slice(0, 160)}; full log: packages/native/build/build.log); engram will use the wasm path`);
process.exit(strict ? 1 : 0);
