#!/usr/bin/env node
// The packed-install test: what a user gets from the registry is what is tested.
// Packs every public package of the workspace (npm pack, after `npm run build`),
// installs the tarballs into a fresh app outside the workspace, and runs there a
// program that loads every built-in plugin through the CLI's loader, creates and
// runs a model, saves and loads it through @engram/core/node, and runs the saved
// file with the installed `engram` binary. Exits 0 when all of that works.
//
// Usage: node scripts/packed-install.mjs [--keep]   (--keep leaves the temp folder)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'engram-packed-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');

function sh(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (r.status !== 0) {
    process.stderr.write(`packed install: ${what} failed (exit ${r.status})\n${r.stdout}\n${r.stderr}\n`);
    if (!keep) rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }
  return r.stdout;
}

const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dirs = [];
for (const pattern of rootPkg.workspaces) {
  const base = pattern.replace(/\/\*$/, '');
  const candidates = pattern.endsWith('/*') ? readdirSync(join(root, base)).map((d) => join(base, d)) : [pattern];
  for (const d of candidates) if (existsSync(join(root, d, 'package.json'))) dirs.push(d);
}
const publics = dirs
  .map((d) => ({ dir: d, pkg: JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);
if (publics.length === 0) throw new Error('no public packages found');

const t0 = Date.now();
mkdirSync(tarballs, { recursive: true });
const deps = {};
for (const { dir, pkg } of publics) {
  const out = sh('npm', ['pack', '--silent', '--pack-destination', tarballs], join(root, dir), `npm pack of ${pkg.name}`);
  const file = out.trim().split('\n').at(-1);
  deps[pkg.name] = `file:${join(tarballs, file)}`;
}
for (const peer of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'rxjs', 'inversify']) deps[peer] = rootPkg.devDependencies[peer];

mkdirSync(app, { recursive: true });
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'engram-packed-app', private: true, type: 'module', dependencies: deps }, null, 2));
sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'], app, 'npm install of the tarballs');

writeFileSync(
  join(app, 'check.mjs'),
  `import { readdirSync } from 'node:fs';
import { lastValueFrom } from 'rxjs';
import { initBackend } from '@engram/core';
import { saveModel, loadModel } from '@engram/core/node';
import { loadEngram, BUILTIN_PLUGIN_PACKAGES } from '@engram/cli';
const backend = await initBackend();
const { engram, warnings } = await loadEngram();
if (warnings.length) throw new Error('plugin warnings: ' + warnings.join('; '));
const names = engram.plugins().map((p) => p.name);
console.log('backend', backend, '| plugins', names.join(', '), '| model kinds', engram.ids('model').length);
if (names.length < BUILTIN_PLUGIN_PACKAGES.length) throw new Error('not every built-in plugin loaded');
const model = await engram.createModel('hopfield/modern', { size: 16, memories: 4, beta: 4 });
const last = await lastValueFrom(model.run({ initial: model.initialState(2, { std: 1 }), maxSteps: 5 }));
if (!Number.isFinite(last.energy)) throw new Error('no energy');
await saveModel(model, 'model.json', { engram });
const again = await loadModel(engram, 'model.json');
console.log('saved and loaded', again.kind, readdirSync('.').filter((f) => f.startsWith('model')).join(' '));
model.dispose();
again.dispose();
`,
);
console.log(sh(process.execPath, ['check.mjs'], app, 'the check program').trim());
console.log(sh(join(app, 'node_modules', '.bin', 'engram'), ['run', 'model.json', '--steps', '3'], app, 'engram run of the saved model').trim().split('\n').slice(-2).join('\n'));
console.log(`packed install: ${publics.length} packages packed, installed outside the workspace and used (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
