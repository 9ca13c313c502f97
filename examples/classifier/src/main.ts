#!/usr/bin/env node
/** Runs example (a): `npx tsx examples/classifier/src/main.ts` (or node examples/classifier/dist/main.js after a build). */
import { runClassifierExample } from './run.js';

const r = await runClassifierExample({ log: (l) => console.log(l) });
console.log(`held-out accuracy ${(100 * r.testAccuracy).toFixed(1)}% after ${r.seconds.toFixed(1)} s on ${r.trainImages} training images (${r.backend})`);
