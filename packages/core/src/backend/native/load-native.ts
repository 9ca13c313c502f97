/**
 * Finds the optional native path: the `@engram/native` addon (built from
 * source by `npm install` when a compiler is there) and OpenBLAS (loaded by
 * the addon at run time). Either may be missing: engram then runs on its wasm
 * kernels and says so ONCE per process, in one line naming the fix.
 *
 * $ENGRAM_NATIVE=0 (or false/off/no) turns the native path off without a word;
 * $ENGRAM_NATIVE_THREADS sets how many threads it uses (default: the CPUs
 * this process may run on); $ENGRAM_NATIVE_ISA (avx512, avx2, baseline) runs
 * the addon's vectorised kernels on a narrower instruction set than the CPU's
 * widest, to reproduce another machine's numerics or speed.
 */
import { isNativeBinding, isNativeModule, type NativeBinding, type NativeBlasInfo } from './binding.js';

/** The native path as found: usable, or why not. */
export type NativeLoad =
  | { ok: true; binding: NativeBinding; blas: NativeBlasInfo; threads: number; vectorIsa: string }
  | { ok: false; reason: 'disabled' | 'unsupported' | 'build' | 'library'; message: string };

const env = (name: string): string | undefined => (typeof process !== 'undefined' ? process.env?.[name] : undefined);

/** False when $ENGRAM_NATIVE is 0/false/off/no. */
export function nativeEnabledByEnv(): boolean {
  const v = env('ENGRAM_NATIVE');
  return v === undefined || !['0', 'false', 'off', 'no'].includes(v.trim().toLowerCase());
}

let pending: Promise<NativeLoad> | undefined;
let said = false;

/** Threads for BLAS and the addon's pool: $ENGRAM_NATIVE_THREADS, else the CPUs available. */
function threadCount(cpus: number): number {
  const v = Number(env('ENGRAM_NATIVE_THREADS'));
  if (Number.isInteger(v) && v >= 1) return v;
  return Math.max(1, Math.min(cpus, 64));
}

/**
 * The vectorised kernels' instruction set: $ENGRAM_NATIVE_ISA when this CPU
 * runs it, else the widest (a set it lacks is said in one line, once per
 * process, since load runs once).
 */
function chooseIsa(binding: NativeBinding): string {
  const info = binding.getIsa?.();
  if (!info) return 'unknown';
  const want = env('ENGRAM_NATIVE_ISA')?.trim().toLowerCase();
  if (!want) return info.isa;
  if (info.supported.includes(want) && binding.setIsa) {
    binding.setIsa(want);
    return want;
  }
  process.stderr?.write?.(`engram: ENGRAM_NATIVE_ISA=${want} is not a set this CPU runs (${info.supported.join(', ')}); the vector kernels run on ${info.isa}\n`);
  return info.isa;
}

async function load(): Promise<NativeLoad> {
  if (typeof process === 'undefined' || !process.versions?.node) return { ok: false, reason: 'unsupported', message: 'not running in Node' };
  let mod: unknown;
  try {
    // Resolved by name at run time: core neither depends on the addon nor fails without it.
    mod = await import(/* webpackIgnore: true */ /* @vite-ignore */ String('@engram/native'));
  } catch {
    return { ok: false, reason: 'build', message: 'the @engram/native package is not installed (npm install @engram/native)' };
  }
  if (!isNativeModule(mod)) return { ok: false, reason: 'build', message: '@engram/native does not export openNative (reinstall it)' };
  const r = mod.openNative();
  if (!r.ok) return { ok: false, reason: r.reason, message: r.message };
  if (!isNativeBinding(r.binding)) return { ok: false, reason: 'build', message: 'the @engram/native addon is out of date (rebuild it: npm run build:native -w @engram/native)' };
  const threads = threadCount(r.cpus);
  r.binding.setBlasThreads(threads);
  r.binding.setLanes(threads);
  return { ok: true, binding: r.binding, blas: { path: r.blas.path, corename: r.blas.corename, config: r.blas.config }, threads, vectorIsa: chooseIsa(r.binding) };
}

/** Loads the native path once per process (later calls return the same result). Never throws. */
export function loadNative(): Promise<NativeLoad> {
  pending ??= load().catch((e: unknown) => ({ ok: false as const, reason: 'build' as const, message: `the addon failed to load (${e instanceof Error ? e.message : String(e)})` }));
  return pending;
}

/**
 * The one line printed when the native path is missing (not when it was turned
 * off, nor outside Node). Printed at most once per process.
 */
export function reportMissingNative(r: NativeLoad): void {
  if (r.ok || r.reason === 'disabled' || r.reason === 'unsupported' || said) return;
  said = true;
  const fix = r.reason === 'library' ? 'apt-get install libopenblas0-pthread' : 'apt-get install g++ python3 libopenblas0-pthread, then npm run build:native -w @engram/native';
  process.stderr?.write?.(`engram: native BLAS off: ${r.message}; running on the wasm kernels (${fix}; ENGRAM_NATIVE=0 silences this)\n`);
}
