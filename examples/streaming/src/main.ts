#!/usr/bin/env node
/** Runs example (c): `npx tsx examples/streaming/src/main.ts [every] [lines]`. */
import { streamEnergy } from './stream-energy.js';

const [every, lines] = process.argv.slice(2).map(Number);
await streamEnergy({ every: every || 10, lines: lines || 5 });
console.log('cancelled early: the run was unsubscribed and its tensors freed');
