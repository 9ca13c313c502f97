/**
 * Peak memory, engram next to PyTorch: each case runs in a FRESH process on
 * both sides (engram: memory-child.ts; torch: bench/torch/memory.py), so each
 * number is that case's own peak: max RSS of the whole process (node + tfjs +
 * the wasm heap; python + torch), plus engram's wasm heap size and both
 * processes' RSS before the case (the runtime's own share).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { torchDir, torchEnv, type TorchInfo, type TorchSetting } from './torch.js';

/** A memory case: what both children run. */
export interface MemoryCase {
  name: string;
  kind: 'et-train' | 'et-train-checkpointed' | 'et-inference' | 'dense-am';
  /** Twin name in bench/torch/workloads.py. */
  torch: string;
  params: Record<string, number>;
}

export const MEMORY_CASES: MemoryCase[] = [
  { name: 'memory:dense-am-retrieval', kind: 'dense-am', torch: 'dense-am-retrieval', params: {} },
  { name: 'memory:et-inference', kind: 'et-inference', torch: 'et-inference', params: {} },
  { name: 'memory:et-train-step@N=49', kind: 'et-train', torch: 'et-train-step', params: { tokens: 49 } },
  { name: 'memory:et-train-step-checkpointed@N=49', kind: 'et-train-checkpointed', torch: 'et-train-step', params: { tokens: 49 } },
  { name: 'memory:et-train-step@N=196', kind: 'et-train', torch: 'et-train-step', params: { tokens: 196 } },
  { name: 'memory:et-train-step-checkpointed@N=196', kind: 'et-train-checkpointed', torch: 'et-train-step', params: { tokens: 196 } },
];

/** One side's numbers (MiB). */
export interface MemorySide {
  ok: boolean;
  max_rss_mib?: number;
  baseline_rss_mib?: number;
  wasm_heap_mib?: number;
  ms?: number;
  error?: string;
}

export interface MemoryResult {
  name: string;
  params: Record<string, number>;
  engram: MemorySide;
  torch?: MemorySide;
  /** engram max RSS / torch max RSS. */
  rss_ratio?: number;
}

const mib = (kb: unknown): number | undefined => (typeof kb === 'number' ? kb / 1024 : undefined);

function parseLast(stdout: string): Record<string, unknown> | undefined {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  try {
    return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The child's own file, .ts when the bench runs from source (tsx), .js when built. */
function childFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.replace(/memory\.(ts|js)$/, (_, ext: string) => `memory-child.${ext}`);
}

function side(r: ReturnType<typeof spawnSync>): MemorySide {
  const j = parseLast(String(r.stdout ?? ''));
  if (!j) return { ok: false, error: `exit ${r.status ?? r.signal}: ${String(r.stderr ?? '').trim().split('\n').pop() ?? ''}` };
  const out: MemorySide = { ok: j['ok'] === true };
  const rss = mib(j['max_rss_kb']);
  if (rss !== undefined) out.max_rss_mib = rss;
  const base = mib(j['baseline_rss_kb']);
  if (base !== undefined) out.baseline_rss_mib = base;
  if (typeof j['wasm_heap_bytes'] === 'number') out.wasm_heap_mib = j['wasm_heap_bytes'] / 2 ** 20;
  if (typeof j['ms'] === 'number') out.ms = j['ms'];
  if (typeof j['error'] === 'string') out.error = j['error'];
  return out;
}

/** Runs every memory case on both sides (torch with `setting`, when available), one fresh process each. */
export function measureMemory(cases: MemoryCase[], torch: TorchInfo, setting: TorchSetting): MemoryResult[] {
  const results: MemoryResult[] = [];
  for (const c of cases) {
    const spec = JSON.stringify({ kind: c.kind, params: c.params, runs: 2 });
    const e = spawnSync(process.execPath, [...process.execArgv, childFile(), spec], { encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 16 << 20 });
    const r: MemoryResult = { name: c.name, params: c.params, engram: side(e) };
    if (torch.available && torch.python) {
      const t = spawnSync(torch.python, [join(torchDir(), 'memory.py'), '--case', c.torch, '--params', JSON.stringify(c.params), '--runs', '2'], {
        encoding: 'utf8',
        env: torchEnv(setting),
        timeout: 30 * 60_000,
        maxBuffer: 16 << 20,
      });
      r.torch = side(t);
      if (r.engram.max_rss_mib && r.torch.max_rss_mib) r.rss_ratio = r.engram.max_rss_mib / r.torch.max_rss_mib;
    }
    results.push(r);
  }
  return results;
}
