/**
 * @engram/native: loads the compiled addon (build/Release/engram_native.node)
 * and OpenBLAS (dlopen at run time). Never throws: `openNative()` says what is
 * missing so that engram can fall back to its wasm kernels.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the addon is built (node-gyp's Release output); $ENGRAM_NATIVE_ADDON overrides it. */
export const ADDON_PATH = process.env.ENGRAM_NATIVE_ADDON || join(here, 'build', 'Release', 'engram_native.node');

/** The apt command that provides the library this addon loads. */
export const INSTALL_HINT = 'apt-get install libopenblas0-pthread';

/**
 * Library names tried in order; $ENGRAM_OPENBLAS (a path or soname), when set,
 * is the only one. Only OpenBLAS: a plain libblas.so.3 may be the reference
 * BLAS (~2 GFLOP/s, slower than the wasm kernels it would replace).
 */
export function libraryCandidates(env = process.env) {
  if (env.ENGRAM_OPENBLAS) return [env.ENGRAM_OPENBLAS];
  return ['libopenblas.so.0', 'libopenblas.so', '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0', '/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0', 'libopenblas.dylib'];
}

let cached;

/**
 * Loads the addon and opens OpenBLAS (once per process).
 * @returns {import('./index.js').NativeOpenResult}
 */
export function openNative(options = {}) {
  if (cached) return cached;
  if (!existsSync(ADDON_PATH)) {
    cached = { ok: false, reason: 'build', message: `the addon is not built (npm run build:native -w @engram/native; needs g++ and python3 for node-gyp)` };
    return cached;
  }
  let binding;
  try {
    binding = createRequire(import.meta.url)(ADDON_PATH);
  } catch (e) {
    cached = { ok: false, reason: 'build', message: `the addon does not load (${e instanceof Error ? e.message : String(e)}); rebuild it: npm run build:native -w @engram/native` };
    return cached;
  }
  const info = binding.open(options.libraries ?? libraryCandidates());
  if (!info.ok) {
    cached = { ok: false, reason: 'library', message: `OpenBLAS not found (${INSTALL_HINT})`, detail: info.error, binding };
    return cached;
  }
  cached = { ok: true, binding, blas: { path: info.path, corename: info.corename, config: info.config, threads: info.threads }, cpus: info.cpus };
  return cached;
}
