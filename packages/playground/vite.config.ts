/**
 * The playground's build (Vite): bundles engram's browser entries from their
 * TypeScript sources (the 'engram-source' export condition), and serves, next
 * to the page, the tfjs wasm binaries (/wasm/) and the committed Fashion-MNIST
 * subset (/data/fashion-mnist-subset/, the data plugin's default URL).
 */
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const publicDir = resolve(here, '..', '..', '.cache', 'playground-public');

/** Copies the static assets the page needs into the public folder before a build or dev server starts. */
function engramAssets(): Plugin {
  const copy = (): void => {
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    mkdirSync(join(publicDir, 'wasm'), { recursive: true });
    for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) cpSync(join(wasmDir, f), join(publicDir, 'wasm', f));
    const subset = resolve(here, '..', 'data', 'fixtures', 'fashion-mnist-subset');
    cpSync(subset, join(publicDir, 'data', 'fashion-mnist-subset'), { recursive: true });
  };
  return { name: 'engram-assets', buildStart: copy, configureServer: copy };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir,
  plugins: [engramAssets()],
  resolve: { conditions: ['engram-source', 'browser', 'module', 'import', 'default'] },
  build: { outDir: resolve(here, 'dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  esbuild: { target: 'es2022' },
});
