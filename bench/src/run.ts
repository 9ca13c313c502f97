/**
 * `npm run bench`: engram's benchmark suite.
 *
 *   node bench/dist/run.js [--only NAME[,NAME]] [--json FILE] [--reps N]
 *                          [--backend wasm|cpu|tensorflow] [--no-fast-path] [--no-torch] [--list]
 *
 * Each case: warm-up, median over repeated runs, GFLOP/s where meaningful, peak
 * tensor count of one profiled run, tensor growth between runs; PyTorch twins
 * (bench/torch, one thread) run in the same invocation when a python with torch exists.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '@engram/core';
import { CASES } from './cases/index.js';
import { measure, type CaseResult } from './harness.js';
import { table } from './report.js';
import { findTorch, runTorch, type TorchInfo } from './torch.js';
import { targets } from './targets.js';

interface Args {
  only?: string[];
  json?: string;
  reps?: number;
  backend?: BackendName;
  fastPath: boolean;
  torch: boolean;
  list: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { fastPath: true, torch: true, list: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    if (k === '--only') a.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (k === '--json') a.json = val();
    else if (k === '--reps') a.reps = Number(val());
    else if (k === '--backend') a.backend = val() as BackendName;
    else if (k === '--no-fast-path') a.fastPath = false;
    else if (k === '--no-torch') a.torch = false;
    else if (k === '--list') a.list = true;
    else if (k === '--help' || k === '-h') {
      process.stdout.write('usage: npm run bench -- [--only NAME[,NAME]] [--json FILE] [--reps N] [--backend wasm|cpu|tensorflow] [--no-fast-path] [--no-torch] [--list]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${k} (see --help)`);
  }
  if (a.reps !== undefined && !(Number.isInteger(a.reps) && a.reps >= 1)) throw new Error('--reps needs an integer >= 1');
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const known = CASES.map(([n]) => n);
  if (args.list) {
    process.stdout.write(known.join('\n') + '\n');
    return 0;
  }
  const unknown = (args.only ?? []).filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const selected = CASES.filter(([n]) => !args.only || args.only.includes(n));

  const backend = await initBackend({ ...(args.backend ? { backend: args.backend } : {}), fastPath: args.fastPath });
  const torch: TorchInfo = args.torch ? findTorch() : { available: false, reason: 'disabled (--no-torch)' };
  const header = {
    backend,
    wasm_fast_path: backend === 'wasm' ? args.fastPath : null,
    tfjs: tf.version.tfjs,
    node: process.version,
    torch: torch.available ? `${torch.version} (${torch.python}, 1 thread, BLAS_INFO=${torch.blas})` : `not run: ${torch.reason}`,
    started: new Date().toISOString(),
  };
  process.stdout.write(`engram bench: backend ${backend}${backend === 'wasm' ? `, fast path ${args.fastPath ? 'on' : 'off'}` : ''}, tfjs ${header.tfjs}, node ${header.node}\n`);
  process.stdout.write(`PyTorch: ${header.torch}\n`);
  if (torch.available && torch.blas === 'generic') {
    process.stdout.write('  note: this torch uses the system libblas.so.3 (BLAS_INFO=generic); with the reference BLAS its matMul is ~100x slower than with OpenBLAS/MKL, so ratios flatter engram\n');
  }

  const results: CaseResult[] = [];
  const t0 = performance.now();
  for (const [name, make] of selected) {
    const c = make();
    process.stdout.write(`- ${name}: ${c.description} ... `);
    try {
      const r = await measure(c, args.reps !== undefined ? { reps: args.reps } : {});
      process.stdout.write(`${r.median_ms.toFixed(1)} ms\n`);
      results.push(r);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      process.stdout.write(`skipped: ${msg}\n`);
      results.push({ name, description: c.description, median_ms: NaN, min_ms: NaN, runs_ms: [], peak_tensors: -1, tensor_growth: 0, tensors_left: 0, skipped: msg });
    }
  }
  const twins = selected.map(([, make]) => make().torch).filter((x): x is string => !!x);
  if (torch.available && twins.length) {
    process.stdout.write(`PyTorch twins: ${twins.join(', ')} ...\n`);
    const tr = runTorch(torch, twins, args.reps);
    for (const r of results) {
      const tw = tr[r.name];
      if (!tw || r.skipped) continue;
      r.torch_median_ms = tw.median_ms;
      r.ratio_vs_torch = r.median_ms / tw.median_ms;
      if (r.gflops !== undefined) r.torch_gflops = (r.gflops * r.median_ms) / tw.median_ms;
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  process.stdout.write('\n' + table(results) + '\n\n');
  const checks = targets(results);
  for (const c of checks) process.stdout.write(`${c.ok === null ? '[ n/a ]' : c.ok ? '[ met ]' : '[MISSED]'} ${c.target}: ${c.measured}\n`);
  process.stdout.write(`\n${results.length} case(s) in ${elapsed.toFixed(0)} s\n`);
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify({ ...header, elapsed_s: elapsed, cases: results, targets: checks }, null, 2) + '\n');
    process.stdout.write(`wrote ${args.json}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
