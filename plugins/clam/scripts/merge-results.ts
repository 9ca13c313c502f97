/**
 * Merges the results.json of several `engram clam` runs (e.g. one process per
 * data set, run side by side) into one table, JSON and Silhouette plot:
 *
 *   node --conditions=engram-source --import=tsx scripts/merge-results.ts OUT DIR1 DIR2 ...
 *
 * Rows come in the catalogue's order; the 2-D plots are copied from the run that made them.
 * With --best (runs of the same data sets with different settings, e.g. one per
 * `init`), each data set keeps the row whose ClAM Silhouette is highest — a
 * search over those settings too — and the row records the winning run's init.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptanceSummary, SHIPPED_DATASETS, writeClamOutputs, type ClamRunResult } from '../src/node/index.js';

const args = process.argv.slice(2);
const best = args.includes('--best');
const [out, ...dirs] = args.filter((a) => a !== '--best');
if (!out || dirs.length === 0) throw new Error('usage: merge-results.ts [--best] OUT DIR...');
const runs = dirs.map((d) => ({ dir: d, result: JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as ClamRunResult }));
const order = SHIPPED_DATASETS.map((s) => s.id);
const tagged = runs.flatMap((r) => r.result.rows.map((row) => (best ? { ...row, clam: { ...row.clam, init: String(r.result.settings['init']) } } : row)));
const rows = (best ? [...new Set(tagged.map((r) => r.id))].map((id) => tagged.filter((r) => r.id === id).reduce((a, b) => (b.clam.silhouette > a.clam.silhouette ? b : a))) : tagged).sort(
  (a, b) => order.indexOf(a.id) - order.indexOf(b.id),
);
const merged: ClamRunResult = {
  command: 'engram clam (merged)',
  settings: { runs: runs.map((r) => ({ dir: r.dir, settings: r.result.settings, seconds: r.result.seconds })) },
  rows,
  acceptance: acceptanceSummary(rows),
  fashionMnist: runs.find((r) => r.result.fashionMnist)?.result.fashionMnist ?? null,
  blobs: runs.find((r) => r.result.blobs)?.result.blobs ?? null,
  seconds: Math.max(...runs.map((r) => r.result.seconds)),
};
const written = writeClamOutputs(out, merged, null);
for (const r of runs) {
  for (const f of ['trajectories.svg', 'landscape.svg']) {
    if (existsSync(join(r.dir, f))) {
      copyFileSync(join(r.dir, f), join(out, f));
      written.push(join(out, f));
    }
  }
}
process.stdout.write(readFileSync(join(out, 'table.md'), 'utf8'));
process.stdout.write(`wrote ${written.join(', ')}\n`);
