/**
 * PyTorch side by side: finds a python with torch (python3 on PATH, then
 * /usr/bin/python3, or $ENGRAM_BENCH_PYTHON), runs bench/torch/run.py for the
 * requested twins in one process (torch.set_num_threads(1)) and parses its JSON.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

/** One torch configuration: intra-op threads (torch.set_num_threads) x OpenBLAS threads. */
export interface TorchSetting {
  threads: number;
  blasThreads: number;
}

/** '1x2' -> { threads: 1, blasThreads: 2 }. */
export function parseSetting(s: string): TorchSetting {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`torch setting '${s}': use TORCHxBLAS threads, e.g. 1x2`);
  return { threads: Number(m[1]), blasThreads: Number(m[2]) };
}

export const settingName = (s: TorchSetting): string => `${s.threads}x${s.blasThreads}`;

/** The environment of a torch process with a setting; OPENBLAS_CORETYPE is passed through untouched (never set here). */
export function torchEnv(s: TorchSetting): NodeJS.ProcessEnv {
  return { ...process.env, ENGRAM_TORCH_THREADS: String(s.threads), OPENBLAS_NUM_THREADS: String(s.blasThreads), OMP_NUM_THREADS: String(s.threads), MKL_NUM_THREADS: String(s.blasThreads) };
}

/** What a torch server says about itself. */
export interface TorchServerInfo {
  torch: string;
  threads: number;
  blas_threads: string | null;
  corename: string | null;
  max_rss_kb: number;
}

/**
 * A long-lived PyTorch process (bench/torch/serve.py) that times one run of a
 * twin per request, so the bench can alternate engram and torch round by round.
 */
export class TorchServer {
  readonly setting: TorchSetting;
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly waiting: Array<(line: string) => void> = [];
  private stderr = '';
  private closed = false;

  constructor(info: TorchInfo, setting: TorchSetting) {
    if (!info.python) throw new Error('no python with torch');
    this.setting = setting;
    this.child = spawn(info.python, [join(torchDir(), 'serve.py')], { env: torchEnv(setting), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => {
      this.buffer += d;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.stderr.on('data', (d) => (this.stderr = (this.stderr + String(d)).slice(-4000)));
    this.child.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ error: `torch server exited: ${this.stderr.trim().split('\n').pop() ?? ''}` }));
    });
  }

  get name(): string {
    return settingName(this.setting);
  }

  /** Sends one request and waits for its reply (requests are answered in order). */
  request<T = Record<string, unknown>>(msg: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`torch server ${this.name} is gone: ${this.stderr.trim().split('\n').pop() ?? ''}`));
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const r = JSON.parse(line) as T & { error?: string };
        if (r.error) reject(new Error(`torch ${this.name}: ${r.error}`));
        else resolve(r);
      });
      this.child.stdin.write(JSON.stringify(msg) + '\n');
    });
  }

  info(): Promise<TorchServerInfo> {
    return this.request<TorchServerInfo>({ op: 'info' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.request({ op: 'quit' });
    } catch {
      // already gone
    }
    this.child.kill();
  }
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
 * The note printed about torch's BLAS. When torch's process reports OpenBLAS
 * kernels (corename, from bench/torch/serve.py), the BLAS is known; otherwise
 * it is decided from the measured 1024^2 matmul rate: Debian's torch says
 * BLAS_INFO=generic whichever libblas.so.3 the alternatives system points to,
 * OpenBLAS (~100+ GFLOP/s) or the reference BLAS (~2 GFLOP/s).
 */
export function blasNote(info: TorchInfo, matmulGflops: number | undefined, corename?: string | null): string | undefined {
  if (!info.available) return undefined;
  if (corename) {
    if (corename === 'Prescott')
      return `note: OpenBLAS runs its Prescott (SSE3) kernels on both sides: it does not recognise this CPU; OPENBLAS_CORETYPE=SkylakeX (AVX-512) or Haswell (AVX2) selects faster ones (the bench never sets it)`;
    return undefined;
  }
  if (matmulGflops === undefined || !Number.isFinite(matmulGflops)) return 'note: torch matmul-peak was not measured, so whether its BLAS is optimised is unknown';
  if (matmulGflops >= SLOW_TORCH_GFLOPS) return undefined;
  return (
    `note: torch's 1024^2 matMul runs at ${matmulGflops.toFixed(1)} GFLOP/s (BLAS_INFO=${info.blas}): it looks like the reference BLAS, ` +
    'so the ratios flatter engram; for a fair comparison install an optimised libblas.so.3, e.g. `apt-get install libopenblas0-pthread`'
  );
}
