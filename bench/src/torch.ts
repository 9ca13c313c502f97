/**
 * PyTorch side by side: finds a python with torch (python3 on PATH, then
 * /usr/bin/python3, or $ENGRAM_BENCH_PYTHON), runs bench/torch/run.py for the
 * requested twins in one process (torch.set_num_threads(1)) and parses its JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A python with torch, or why none was found. */
export interface TorchInfo {
  available: boolean;
  python?: string;
  version?: string;
  /** torch's BLAS_INFO ('generic' = whatever libblas.so.3 is installed, on Debian often the slow reference BLAS). */
  blas?: string;
  reason?: string;
}

/** Per twin: median ms over its runs, and the FLOPs it counts (0 when not meaningful). */
export type TorchResults = Record<string, { median_ms: number; runs_ms: number[] }>;

/** bench/torch, from bench/src or bench/dist alike. */
export function torchDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'torch');
}

/** Looks for a python that imports torch. */
export function findTorch(): TorchInfo {
  const candidates = [process.env['ENGRAM_BENCH_PYTHON'], 'python3', '/usr/bin/python3'].filter((x): x is string => !!x);
  const tried: string[] = [];
  for (const py of candidates) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const script = "import re, sys, torch; m = re.search(r'BLAS_INFO=([^,\\s]+)', torch.__config__.show()); sys.stdout.write(torch.__version__ + ' ' + (m.group(1) if m else '?'))";
    const r = spawnSync(py, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) {
      const [version, blas] = r.stdout.trim().split(' ');
      return { available: true, python: py, version: version!, blas: blas ?? '?' };
    }
    tried.push(py);
  }
  return { available: false, reason: `no python with torch (tried ${tried.join(', ')}; set $ENGRAM_BENCH_PYTHON)` };
}

/** Runs the PyTorch twins; returns their medians (empty on failure, with the error printed). */
export function runTorch(info: TorchInfo, names: string[], reps?: number): TorchResults {
  if (!info.available || !info.python || names.length === 0) return {};
  const args = [join(torchDir(), 'run.py'), '--cases', names.join(',')];
  if (reps) args.push('--reps', String(reps));
  // torch.set_num_threads(1) does not reach a BLAS torch was not built against
  // (BLAS_INFO=generic: libblas.so.3 may be OpenBLAS with its own thread pool).
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(info.python, args, { encoding: 'utf8', env, timeout: 30 * 60_000, maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch twins failed (exit ${r.status}):\n${r.stderr}\n`);
    return {};
  }
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as TorchResults;
}

/** Below this torch matmul-peak rate (GFLOP/s, one thread) torch is taken to run a reference BLAS. */
export const SLOW_TORCH_GFLOPS = 20;

/**
 * The note printed about torch's BLAS, decided from its measured 1024^2 matmul
 * rate rather than BLAS_INFO: Debian's torch says BLAS_INFO=generic whichever
 * libblas.so.3 the alternatives system points to, OpenBLAS (~100+ GFLOP/s) or
 * the reference BLAS (~2 GFLOP/s). Undefined when torch looks optimised.
 */
export function blasNote(info: TorchInfo, matmulGflops: number | undefined): string | undefined {
  if (!info.available) return undefined;
  if (matmulGflops === undefined || !Number.isFinite(matmulGflops)) return 'note: torch matmul-peak was not measured, so whether its BLAS is optimised is unknown';
  if (matmulGflops >= SLOW_TORCH_GFLOPS) return undefined;
  return (
    `note: torch's 1024^2 matMul runs at ${matmulGflops.toFixed(1)} GFLOP/s (BLAS_INFO=${info.blas}): it looks like the reference BLAS, ` +
    'so the ratios flatter engram; for a fair comparison install an optimised libblas.so.3, e.g. `apt-get install libopenblas0-pthread`'
  );
}
