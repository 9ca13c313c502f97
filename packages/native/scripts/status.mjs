#!/usr/bin/env node
// One line: is the native path usable here, and if not, why (exit 0 either way).
import { ADDON_PATH, INSTALL_HINT, openNative } from '../index.js';

const r = openNative();
if (r.ok) {
  process.stdout.write(`@engram/native: ready: ${ADDON_PATH}, OpenBLAS ${r.blas.path} (${r.blas.corename} kernels, ${r.blas.threads} threads, ${r.cpus} CPUs; vector kernels ${r.binding.getIsa().isa}; OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? 'unset'})\n`);
} else {
  process.stdout.write(`@engram/native: not usable: ${r.message}${r.reason === 'library' ? '' : `; OpenBLAS: ${INSTALL_HINT}`} (engram runs on the wasm kernels)\n`);
}
