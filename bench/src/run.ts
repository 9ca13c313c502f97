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
import { CASES, PAIRED_GROUPS } from './cases/index.js';
import { PEAK_N } from './cases/matmul.js';
import { measure, type BenchCase, type CaseResult } from './harness.js';
import { measurePaired, type PairedResult } from './paired.js';
import { table } from './report.js';
import { blasNote, findTorch, runTorch, type TorchInfo } from './torch.js';
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

  const results: CaseResult[] = [];
  const paired: PairedResult[] = [];
  const opts = args.reps !== undefined ? { reps: args.reps } : {};
  const skip = (c: BenchCase, e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    results.push({ name: c.name, description: c.description, median_ms: NaN, min_ms: NaN, runs_ms: [], peak_tensors: -1, tensor_growth: 0, tensors_left: 0, skipped: msg });
    return msg;
  };
  const selectedNames = selected.map(([n]) => n);
  const done = new Set<string>();
  const t0 = performance.now();
  for (const [name, make] of selected) {
    if (done.has(name)) continue;
    const group = PAIRED_GROUPS.find((g) => g.includes(name))?.filter((n) => selectedNames.includes(n));
    if (group && group.length >= 2) {
      // Interleaved: the ratios within the group are what matters, not each median alone.
      const cs = group.map((n) => CASES.find(([k]) => k === n)![1]());
      for (const c of cs) done.add(c.name);
      process.stdout.write(`- ${group.join(' / ')} (interleaved):\n${cs.map((c) => `    ${c.name}: ${c.description}\n`).join('')}  ... `);
      try {
        const r = await measurePaired(cs, opts);
        results.push(...r.results);
        paired.push(r.paired);
        const ms = r.results.map((x) => `${x.median_ms.toFixed(1)} ms`).join(' / ');
        const ratios = r.paired.variants.map((v) => `${v.name}/${r.paired.baseline} ${v.median_ratio.toFixed(3)} (IQR ${v.iqr[0].toFixed(3)}-${v.iqr[1].toFixed(3)})`).join(', ');
        process.stdout.write(`${ms}; median per-round ratio ${ratios}\n`);
      } catch (e) {
        let msg = '';
        for (const c of cs) msg = skip(c, e);
        process.stdout.write(`skipped: ${msg}\n`);
      }
      continue;
    }
    const c = make();
    process.stdout.write(`- ${name}: ${c.description} ... `);
    try {
      const r = await measure(c, opts);
      process.stdout.write(`${r.median_ms.toFixed(1)} ms\n`);
      results.push(r);
    } catch (e) {
      process.stdout.write(`skipped: ${skip(c, e)}\n`);
    }
  }
  // Report in run order whatever the grouping did.
  results.sort((a, b) => selectedNames.indexOf(a.name) - selectedNames.indexOf(b.name));
  const twins = selected.map(([, make]) => make().torch).filter((x): x is string => !!x);
  // torch's own matmul rate decides the BLAS note, so measure it even when matmul-peak is not selected.
  if (torch.available && !twins.includes('matmul-peak')) twins.unshift('matmul-peak');
  let torchMatmulGflops: number | undefined;
  if (torch.available) {
    process.stdout.write(`PyTorch twins: ${twins.join(', ')} ...\n`);
    const tr = runTorch(torch, twins, args.reps);
    const mm = tr['matmul-peak'];
    if (mm) torchMatmulGflops = (2 * PEAK_N ** 3) / mm.median_ms / 1e6;
    const note = blasNote(torch, torchMatmulGflops);
    if (note) process.stdout.write(`  ${note}\n`);
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
  const checks = targets(results, paired);
  for (const c of checks) process.stdout.write(`${c.ok === null ? '[ n/a ]' : c.ok ? '[ met ]' : '[MISSED]'} ${c.target}: ${c.measured}\n`);
  process.stdout.write(`\n${results.length} case(s) in ${elapsed.toFixed(0)} s\n`);
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify({ ...header, torch_matmul_gflops: torchMatmulGflops ?? null, elapsed_s: elapsed, cases: results, paired, targets: checks }, null, 2) + '\n');
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
