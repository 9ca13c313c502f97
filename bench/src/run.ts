/**
 * `npm run bench`: engram's benchmark suite.
 *
 *   run.js [--only NAME[,NAME]] [--json FILE] [--reps N] [--backend wasm|cpu|tensorflow]
 *          [--no-fast-path] [--no-native] [--no-torch] [--torch-settings 1x1,1x2,2x1,2x2]
 *          [--settle-ms MS] [--no-quiesce] [--no-scaling] [--no-memory] [--breakdown] [--list]
 *
 * Each case: warm-up, then rounds in which engram and its PyTorch twins (one
 * long-lived torch process per setting: torch threads x OpenBLAS threads)
 * take turns, the order rotating each round; ratios are medians of per-round
 * ratios. Then the scaling families and the peak-memory cases (fresh
 * processes on both sides). See bench/README.md.
 */
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend, type BackendName } from '@engram/core';
import { CASES, PAIRED_GROUPS } from './cases/index.js';
import { PEAK_N } from './cases/matmul.js';
import { breakdown } from './breakdown.js';
import { measure, type BenchCase, type CaseResult } from './harness.js';
import { MEMORY_CASES, measureMemory, type MemoryResult } from './memory.js';
import { measurePaired, type External, type ExternalResult, type PairedResult } from './paired.js';
import { breakdownTable, memoryTable, scalingTable, table } from './report.js';
import { SCALING, scalingResult, type ScalingPoint, type ScalingResult } from './scaling.js';
import { blasNote, findTorch, parseSetting, TorchServer, type TorchInfo, type TorchServerInfo } from './torch.js';
import { targets } from './targets.js';

interface Args {
  only?: string[];
  json?: string;
  reps?: number;
  backend?: BackendName;
  fastPath: boolean;
  native: boolean;
  torch: boolean;
  torchSettings: string[];
  settleMs: number;
  quiesce: boolean;
  scaling: boolean;
  memory: boolean;
  breakdown: boolean;
  list: boolean;
}

const USAGE =
  'usage: npm run bench -- [--only NAME[,NAME]] [--json FILE] [--reps N] [--backend wasm|cpu|tensorflow] [--no-fast-path] [--no-native]\n' +
  '                        [--no-torch] [--torch-settings 1x1,1x2,2x1,2x2] [--settle-ms MS] [--no-quiesce] [--no-scaling] [--no-memory] [--breakdown] [--list]\n';

function parseArgs(argv: string[]): Args {
  const a: Args = { fastPath: true, native: true, torch: true, torchSettings: ['1x1', '1x2', '2x1', '2x2'], settleMs: 100, quiesce: true, scaling: true, memory: true, breakdown: false, list: false };
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
    else if (k === '--no-native') a.native = false;
    else if (k === '--no-torch') a.torch = false;
    else if (k === '--torch-settings') a.torchSettings = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (k === '--settle-ms') a.settleMs = Number(val());
    else if (k === '--no-quiesce') a.quiesce = false;
    else if (k === '--no-scaling') a.scaling = false;
    else if (k === '--no-memory') a.memory = false;
    else if (k === '--breakdown') a.breakdown = true;
    else if (k === '--list') a.list = true;
    else if (k === '--help' || k === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${k} (see --help)`);
  }
  if (a.reps !== undefined && !(Number.isInteger(a.reps) && a.reps >= 1)) throw new Error('--reps needs an integer >= 1');
  if (!(a.settleMs >= 0)) throw new Error('--settle-ms needs a number >= 0');
  for (const s of a.torchSettings) parseSetting(s);
  if (a.torchSettings[0] !== '1x1') a.torchSettings.unshift('1x1'); // the pinned twin is always there, first
  return a;
}

/** The CPU as /proc/cpuinfo says (model and the SIMD flags that decide the kernels), when readable. */
function cpuInfo(): { model: string; flags: string[] } | null {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /model name\s*:\s*(.*)/.exec(text)?.[1]?.trim() ?? 'unknown';
    const flags = (/flags\s*:\s*(.*)/.exec(text)?.[1] ?? '').split(/\s+/).filter((f) => /^(sse4_2|avx|avx2|fma|avx512\w*|amx\w*|avx_vnni)$/.test(f));
    return { model, flags };
  } catch {
    return null;
  }
}

/** A twin of engram case `c` in torch server `s`, as a participant of the rounds. */
function twin(c: BenchCase, s: TorchServer, warmup: number): External {
  const id = `${c.name}@${s.name}`;
  return {
    name: `torch ${s.name}: ${c.name}`,
    of: c.name,
    setting: s.name,
    setup: async () => void (await s.request({ op: 'setup', id, case: c.torch, params: c.torchParams ?? {}, warmup })),
    run: async () => (await s.request<{ ms: number }>({ op: 'run', id })).ms,
    dispose: async () => void (await s.request({ op: 'drop', id })),
  };
}

/** Copies the twins' results onto their engram cases: the pinned setting (first) and the best (lowest median). */
function attachTorch(results: CaseResult[], ext: ExternalResult[], pinned: string): void {
  for (const r of results) {
    const mine = ext.filter((e) => e.of === r.name && e.runs_ms.length > 0);
    if (!mine.length) continue;
    r.torch_settings = Object.fromEntries(mine.map((e) => [e.setting, { median_ms: e.median_ms, ratio: e.median_ratio, iqr: e.iqr }]));
    const pin = mine.find((e) => e.setting === pinned);
    const best = mine.reduce((b, e) => (e.median_ms < b.median_ms ? e : b));
    const gf = (ms: number) => (r.gflops !== undefined ? (r.gflops * r.median_ms) / ms : undefined);
    if (pin) {
      r.torch_median_ms = pin.median_ms;
      r.ratio_vs_torch = pin.median_ratio;
      const g = gf(pin.median_ms);
      if (g !== undefined) r.torch_gflops = g;
    }
    r.torch_best_setting = best.setting;
    r.torch_best_median_ms = best.median_ms;
    r.ratio_vs_torch_best = best.median_ratio;
    const g = gf(best.median_ms);
    if (g !== undefined) r.torch_best_gflops = g;
  }
}

function skipped(c: BenchCase, e: unknown): CaseResult {
  const msg = e instanceof Error ? e.message : String(e);
  return { name: c.name, description: c.description, median_ms: NaN, min_ms: NaN, runs_ms: [], peak_tensors: -1, tensor_growth: 0, tensors_left: 0, skipped: msg };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const known = CASES.map(([n]) => n);
  if (args.list) {
    process.stdout.write([...known, ...SCALING.map((f) => `${f.name} (scaling: ${f.param} = ${f.values.join(', ')})`), ...MEMORY_CASES.map((m) => m.name)].join('\n') + '\n');
    return 0;
  }
  const unknown = (args.only ?? []).filter((n) => !known.includes(n) && !SCALING.some((f) => f.name === n) && !n.startsWith('memory'));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; known: ${known.join(', ')}, ${SCALING.map((f) => f.name).join(', ')}, memory`);
  const selected = CASES.filter(([n]) => !args.only || args.only.includes(n));
  const families = args.scaling ? SCALING.filter((f) => !args.only || args.only.includes(f.name)) : [];
  const memoryCases = args.memory && (!args.only || args.only.includes('memory')) ? MEMORY_CASES : [];

  const load0 = loadavg();
  const backend = await initBackend({ ...(args.backend ? { backend: args.backend } : {}), fastPath: args.fastPath, native: args.native });
  const info = backendInfo();
  const torch: TorchInfo = args.torch ? findTorch() : { available: false, reason: 'disabled (--no-torch)' };
  const servers: TorchServer[] = [];
  const serverInfo: Record<string, TorchServerInfo> = {};
  if (torch.available) {
    for (const s of args.torchSettings) {
      const server = new TorchServer(torch, parseSetting(s));
      servers.push(server);
      serverInfo[server.name] = await server.info();
    }
  }
  const pinned = servers[0]?.name ?? '1x1';
  const header = {
    backend,
    backend_description: info.description,
    native: info.native,
    native_threads: info.threads,
    native_off: info.nativeOff ?? null,
    native_vector_isa: info.vectorIsa ?? null,
    wasm_fast_path: backend === 'wasm' ? info.fastPath : null,
    openblas_coretype: process.env['OPENBLAS_CORETYPE'] ?? null,
    openblas_corename: { engram: info.blas?.corename ?? null, torch: Object.values(serverInfo)[0]?.corename ?? null },
    tfjs: tf.version.tfjs,
    node: process.version,
    torch: torch.available ? `${torch.version} (${torch.python}, BLAS_INFO=${torch.blas})` : `not run: ${torch.reason}`,
    torch_settings: args.torchSettings,
    torch_pinned: pinned,
    cpu: cpuInfo(),
    settle_ms: args.settleMs,
    quiesce: args.quiesce,
    started: new Date().toISOString(),
  };
  process.stdout.write(`engram bench: backend ${info.description}, tfjs ${header.tfjs}, node ${header.node}\n`);
  process.stdout.write(`OPENBLAS_CORETYPE=${header.openblas_coretype ?? '(unset)'}; OpenBLAS kernels: engram ${header.openblas_corename.engram ?? '-'}, torch ${header.openblas_corename.torch ?? '-'}\n`);
  if (header.openblas_corename.engram && header.openblas_corename.torch && header.openblas_corename.engram !== header.openblas_corename.torch) {
    process.stdout.write('  WARNING: engram and torch run different OpenBLAS kernels: the ratios compare kernels, not engram\n');
  }
  process.stdout.write(`PyTorch: ${header.torch}; settings (torch threads x OpenBLAS threads): ${servers.map((s) => s.name).join(', ') || '-'}, pinned ${pinned}\n`);
  process.stdout.write(`load average at start: ${load0.map((x) => x.toFixed(1)).join(' ')} (${header.cpu?.model ?? 'cpu ?'})\n`);

  const results: CaseResult[] = [];
  const paired: PairedResult[] = [];
  const externals: ExternalResult[] = [];
  const opts = { ...(args.reps !== undefined ? { reps: args.reps } : {}), settleMs: args.settleMs, quiesce: args.quiesce };
  const selectedNames = selected.map(([n]) => n);
  const done = new Set<string>();
  const t0 = performance.now();
  for (const [name] of selected) {
    if (done.has(name)) continue;
    const groupNames = PAIRED_GROUPS.find((g) => g.includes(name))?.filter((n) => selectedNames.includes(n)) ?? [name];
    const cs = groupNames.map((n) => CASES.find(([k]) => k === n)![1]());
    for (const c of cs) done.add(c.name);
    const twins = cs.flatMap((c) => (c.torch ? servers.map((s) => twin(c, s, c.warmup ?? 1)) : []));
    process.stdout.write(`- ${groupNames.join(' / ')}${cs.length > 1 || twins.length ? ' (interleaved' + (twins.length ? ` with ${twins.length} torch twin runs per round` : '') + ')' : ''}:\n${cs.map((c) => `    ${c.name}: ${c.description}\n`).join('')}  ... `);
    try {
      if (cs.length === 1 && twins.length === 0) {
        const r = await measure(cs[0]!, opts);
        results.push(r);
        process.stdout.write(`${r.median_ms.toFixed(1)} ms\n`);
        continue;
      }
      const r = await measurePaired(cs, { ...opts, externals: twins });
      results.push(...r.results);
      externals.push(...r.externals);
      if (cs.length > 1) paired.push(r.paired);
      attachTorch(r.results, r.externals, pinned);
      const parts = r.results.map((x) => `${x.median_ms.toFixed(1)} ms${x.ratio_vs_torch !== undefined ? ` (x${x.ratio_vs_torch.toFixed(2)} torch ${pinned}, x${x.ratio_vs_torch_best!.toFixed(2)} torch best ${x.torch_best_setting})` : ''}`);
      const ratios = r.paired.variants.map((v) => `; ${v.name}/${r.paired.baseline} ${v.median_ratio.toFixed(3)} (IQR ${v.iqr[0].toFixed(3)}-${v.iqr[1].toFixed(3)})`).join('');
      process.stdout.write(`${parts.join(' / ')}${ratios}\n`);
    } catch (e) {
      for (const c of cs) results.push(skipped(c, e));
      process.stdout.write(`skipped: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  results.sort((a, b) => selectedNames.indexOf(a.name) - selectedNames.indexOf(b.name));

  if (args.breakdown) {
    process.stdout.write('- breakdown (kernels timed, 3 runs per case):\n');
    for (const r of results) {
      if (r.skipped) continue;
      try {
        r.breakdown = await breakdown(CASES.find(([k]) => k === r.name)![1]());
        process.stdout.write(`    ${r.name}: ${r.breakdown.kernel_ms.toFixed(1)} ms in ${r.breakdown.kernels_per_run} kernels, ${r.breakdown.outside_ms.toFixed(1)} ms outside\n`);
      } catch (e) {
        process.stdout.write(`    ${r.name}: skipped: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }

  const scaling: ScalingResult[] = [];
  for (const f of families) {
    process.stdout.write(`- ${f.name}: ${f.param} = ${f.values.join(', ')}\n`);
    const points: ScalingPoint[] = [];
    for (const v of f.values) {
      const c = f.make(v);
      const twins = servers.map((s) => twin(c, s, 1));
      try {
        const r = twins.length ? await measurePaired([c], { ...opts, reps: args.reps ?? c.reps ?? 3, externals: twins, noProfile: true }) : { results: [await measure(c, { ...opts, noProfile: true })], externals: [] as ExternalResult[] };
        const e = r.results[0]!;
        points.push({
          value: v,
          engram_ms: e.median_ms,
          torch_ms: Object.fromEntries(r.externals.map((x) => [x.setting, x.median_ms])),
          ratio: Object.fromEntries(r.externals.map((x) => [x.setting, x.median_ratio])),
        });
        process.stdout.write(`    ${f.param}=${v}: ${e.median_ms.toFixed(1)} ms${r.externals.map((x) => `, torch ${x.setting} ${x.median_ms.toFixed(1)} ms`).join('')}\n`);
      } catch (err) {
        points.push({ value: v, engram_ms: NaN, torch_ms: {}, ratio: {}, skipped: err instanceof Error ? err.message : String(err) });
        process.stdout.write(`    ${f.param}=${v}: skipped: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    scaling.push(scalingResult(f, points));
  }

  let memory: MemoryResult[] = [];
  if (memoryCases.length) {
    process.stdout.write(`- peak memory, fresh processes: ${memoryCases.map((m) => m.name).join(', ')} ...\n`);
    memory = measureMemory(memoryCases, torch, parseSetting(pinned));
  }
  for (const s of servers) await s.close();

  const matmul = results.find((r) => r.name === 'matmul-peak');
  const torchMatmulGflops = matmul?.torch_median_ms ? (2 * PEAK_N ** 3) / matmul.torch_median_ms / 1e6 : undefined;
  const note = blasNote(torch, torchMatmulGflops, header.openblas_corename.torch);
  if (torch.available && note) process.stdout.write(`  ${note}\n`);
  const elapsed = (performance.now() - t0) / 1000;
  const load1 = loadavg();
  process.stdout.write('\n' + table(results) + '\n');
  if (results.some((r) => r.breakdown)) process.stdout.write('\n' + breakdownTable(results) + '\n');
  if (scaling.length) process.stdout.write('\n' + scalingTable(scaling) + '\n');
  if (memory.length) process.stdout.write('\n' + memoryTable(memory) + '\n');
  process.stdout.write('\n');
  const checks = targets(results, paired, scaling, memory);
  for (const c of checks) process.stdout.write(`${c.ok === null ? '[ n/a ]' : c.ok ? '[ met ]' : '[MISSED]'} ${c.target}: ${c.measured}\n`);
  process.stdout.write(`\n${results.length} case(s), ${scaling.length} scaling families, ${memory.length} memory cases in ${elapsed.toFixed(0)} s; load average at end ${load1.map((x) => x.toFixed(1)).join(' ')}\n`);
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    const out = { ...header, torch_servers: serverInfo, torch_matmul_gflops: torchMatmulGflops ?? null, load_average: { start: load0, end: load1 }, elapsed_s: elapsed, cases: results, paired, twins: externals, scaling, memory, targets: checks };
    writeFileSync(args.json, JSON.stringify(out, null, 2) + '\n');
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
