/**
 * The playground's entry: engram in the page (every built-in plugin's browser
 * entry, plus plugin modules the user loads by URL), the page runner, and the
 * server runner when `engram serve` served the page (it injects
 * `window.ENGRAM_SERVER = { token }`, plus `model` when it was given a saved model).
 */
import { createEngram, initBackend, type BackendName, type EngramPlugin } from '@engram/core';
import { dataPlugin } from '@engram/data';
import hopfield from '@engram/hopfield';
import sequence from '@engram/sequence';
import sdm from '@engram/sdm';
import energyTransformer from '@engram/energy-transformer';
import diffusion from '@engram/diffusion';
import clam from '@engram/clam';
import camelot from '@engram/camelot';
import listops from '@engram/listops';
import { startApp } from './app.js';
import { BrowserRunner } from './runners/browser-runner.js';
import { ServerRunner } from './runners/server-runner.js';
import type { Runner, RunRequest } from './protocol.js';

declare global {
  interface Window {
    ENGRAM_SERVER?: { token: string; model?: NonNullable<RunRequest['model']> };
    /** Set by the page once it is ready (tests wait for it). */
    engramReady?: boolean;
  }
}

const BUILTIN: EngramPlugin[] = [dataPlugin, hopfield, sequence, sdm, energyTransformer, diffusion, clam, camelot, listops];

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? 'wasm') as BackendName;
  const active = await initBackend({ backend, wasmPaths: new URL('./wasm/', location.href).href });
  const extra: EngramPlugin[] = [];
  for (const url of params.getAll('plugin')) extra.push(((await import(/* @vite-ignore */ url)) as { default: EngramPlugin }).default);
  const engram = await createEngram({ plugins: [...BUILTIN, ...extra] });
  const runners: Runner[] = [new BrowserRunner(engram)];
  if (window.ENGRAM_SERVER) runners.unshift(new ServerRunner(window.ENGRAM_SERVER.token));
  document.title = `engram playground (${active})`;
  const preset = window.ENGRAM_SERVER?.model;
  await startApp(document.getElementById('app')!, { runners, engram, ...(preset ? { preset } : {}) });
  document.getElementById('backend')!.textContent = `backend in the page: ${active}`;
  window.engramReady = true;
}

boot().catch((err: unknown) => {
  document.getElementById('app')!.textContent = `engram playground failed to start: ${err instanceof Error ? err.message : String(err)}`;
});
