/**
 * The sweep's results as JSON lines, one finished run per line, keyed by its
 * configuration: a killed sweep restarts where it stopped (finished keys are
 * skipped), and a line cut short by the kill is ignored.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads the records of a JSONL file by key (later lines win); a missing file is empty. */
export function readResults<R extends { key: string }>(path: string): Map<string, R> {
  const out = new Map<string, R>();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as R;
      if (r && typeof r.key === 'string') out.set(r.key, r);
    } catch {
      // A line cut short when the sweep was killed: that run is simply done again.
    }
  }
  return out;
}

/** Appends one record as a line (creating the folder). */
export function appendResult(path: string, record: { key: string }): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}
