/** Shared test helpers: temp dirs, running the CLI in-process, small model files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo, main, type CapturedIO } from '../src/index.js';

/** A fresh temp dir; removed by the returned cleanup. */
export function tempDir(prefix = 'engram-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `engram <argv>` in-process; resolves to the exit code and captured output. */
export async function cli(argv: string[], opts: { cwd?: string; isTTY?: boolean } = {}): Promise<{ code: number; io: CapturedIO }> {
  const io = captureIo({ ...(opts.cwd ? { cwd: opts.cwd } : {}), isTTY: opts.isTTY ?? false, columns: 100 });
  const code = await main(argv, io);
  return { code, io };
}

/** Chromium flags that work headless in containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
