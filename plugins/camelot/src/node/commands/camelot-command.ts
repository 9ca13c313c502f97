/**
 * `engram camelot`: the CAMELoT experiments on the committed GPT — held-out
 * Brown perplexity per method (table, JSON, per-position loss plot), the
 * planted-repeat probe and the in-context-learning probe.
 */
import { join, resolve } from 'node:path';
import { EngramError, ErrorCodes, z, type CommandArgs, type CommandIO, type Engram } from '@engram/core';
import { linePlotSvg } from '@engram/viz';
import { writeText } from '@engram/viz/node';
import { longContextExperiment, type LongContextResult } from '../../experiments/long-context.js';
import { methodList } from '../../experiments/methods.js';
import { CamelotMemory } from '../../memory/camelot-memory.js';
import { plantedRepeat, type PlantedRepeatResult } from '../../experiments/planted-repeat.js';
import { iclProbe, type IclScore } from '../../experiments/icl-probe.js';
import { formatIclTable, formatMethodTable } from '../../experiments/tables.js';
import { encodedBrown } from '../brown-files.js';
import { defaultCheckpoint, loadGpt } from '../checkpoint-files.js';

const numberList = (what: string) =>
  z
    .string()
    .regex(/^(\s*-?\d+(\.\d+)?\s*)(,\s*-?\d+(\.\d+)?\s*)*$|^$/, `a comma-separated list of numbers (or empty) for ${what}`);

/** Options of `engram camelot`. */
export const camelotCommandOptions = z.strictObject({
  out: z.string().default('engram-out/camelot').describe('directory for results.json, table.md, loss-by-position.svg'),
  checkpoint: z.string().default('').describe('GPT checkpoint spec (.json); empty for the committed data/gpt-brown.json'),
  documents: z.number().int().min(1).max(50).default(8).describe('held-out Brown documents streamed (every held-out document has at least 10,035 characters: 3,471 tokens of the committed subword GPT)'),
  length: z.number().int().min(130).max(10035).default(3456).describe('tokens of each document streamed (all cut to this length; longer than a document is a coded error)'),
  window: z.number().int().min(1).default(128).describe('tokens of the window every method streams the documents through (at most the model\'s context length; the issue\'s 128)'),
  memories: z.number().int().min(1).default(512).describe('memory budget M (slots per layer) of every bounded method'),
  threshold: z.number().min(-1).max(1).default(0.9).describe("CAMELoT's novelty threshold (cosine similarity)"),
  topK: z.number().int().min(1).max(64).default(8).describe('slots each token retrieves per head, for every memory method'),
  readHeads: z
    .string()
    .regex(/^(\s*\d+:\d+\s*)(,\s*\d+:\d+\s*)*$|^$/, 'layer:head pairs, comma-separated (e.g. 0:2,1:3), or empty for every head')
    .default('')
    .describe('the heads that read the memory, as layer:head pairs (empty: every head), for every memory method'),
  placement: z
    .string()
    .regex(/^(window-start|query|age|\d+)$/, "'window-start', 'query', 'age' or a number of tokens")
    .default('age')
    .describe("where a rotary model places memory entries: 'window-start' (the paper's read), 'query', 'age' (where each was written) or n tokens before each query, for every memory method"),
  maxDistance: z.number().int().min(0).default(127).describe("with --placement age: an entry is seen only by queries at most this many tokens after it (0: no limit; 127 = the window the model was trained on)"),
  beyond: z.enum(['hidden', 'window-start']).default('window-start').describe('with --max-distance: what farther queries see of an entry (nothing, or the entry at the window start)'),
  beyondBias: z.number().min(-20).max(20).default(-2).describe("with --beyond window-start: added to the far entries' scores"),
  scoreBias: z.number().min(-20).max(20).default(0).describe("added to every memory entry's score"),
  otherMemories: numberList('otherMemories').default('64,256').describe('other M for the ablation, comma-separated'),
  otherThresholds: numberList('otherThresholds').default('0.8,0.95').describe('other thresholds for the ablation, comma-separated'),
  readAlternatives: z.boolean().default(true).describe('also measure the read-rule alternatives'),
  icl: z.boolean().default(true).describe('run the in-context-learning probe'),
  seed: z.number().int().default(0).describe('seed of the planted strings and the ICL dictionaries'),
  quick: z.boolean().default(false).describe('a small, fast run (2 documents of 1,024 tokens, four methods; for tests)'),
});

/** Parsed options of `engram camelot`. */
export type CamelotCommandOptions = z.output<typeof camelotCommandOptions>;

/** Everything one run measured. */
export interface CamelotRunResult {
  options: CamelotCommandOptions;
  checkpoint: string;
  longContext: LongContextResult;
  plantedRepeat: PlantedRepeatResult;
  /** The planted repeat with each method's memory, by method name. */
  plantedByMethod: Record<string, PlantedRepeatResult>;
  /** The same probe with the repeat inside the first copy's window: the model's own copying, which no memory is needed for. */
  plantedInWindow: PlantedRepeatResult;
  icl: IclScore[] | null;
  seconds: number;
}

function parseList(s: string, what: string): number[] {
  if (s.trim() === '') return [];
  const xs = s.split(',').map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isFinite(x))) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${what} must be a comma-separated list of numbers, got '${s}'`, { what, value: s });
  return xs;
}

/** The command's body. */
export async function runCamelotCommand(args: CommandArgs<CamelotCommandOptions>, io: CommandIO, engram: Engram): Promise<number> {
  const o = args.options;
  const start = Date.now();
  const checkpoint = o.checkpoint ? resolve(io.cwd, o.checkpoint) : defaultCheckpoint();
  const otherMemories = parseList(o.otherMemories, 'otherMemories');
  const otherThresholds = parseList(o.otherThresholds, 'otherThresholds');
  for (const m of otherMemories) if (!Number.isInteger(m) || m < 1) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `otherMemories must be positive integers, got ${m}`, { value: m });
  for (const t of otherThresholds) if (t < -1 || t > 1) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `otherThresholds must lie in [-1, 1], got ${t}`, { value: t });
  const model = await loadGpt(engram, checkpoint, io.cwd);
  try {
    const docs = o.quick ? 2 : o.documents;
    const length = o.quick ? 1024 : o.length;
    const { heldOut } = encodedBrown(model.tokenizer);
    const documents = heldOut.slice(0, docs).map((d) => d.slice(0, length));
    const short = documents.findIndex((d) => d.length < length);
    if (short >= 0) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `held-out document ${short} has only ${documents[short]!.length} tokens: ask for --length at most that`, { length, tokens: documents[short]!.length });
    const readHeads = o.readHeads.trim() === '' ? undefined : o.readHeads.split(',').map((p) => p.split(':').map(Number) as [number, number]);
    if (o.maxDistance === 0 && o.placement === 'age' && (o.beyond !== 'hidden' || o.beyondBias !== 0)) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, '--beyond and --beyond-bias apply beyond --max-distance: give --max-distance too (with --placement age)', { beyond: o.beyond, beyondBias: o.beyondBias });
    const placement = /^\d+$/.test(o.placement) ? Number(o.placement) : (o.placement as 'window-start' | 'query' | 'age');
    const read = {
      topK: o.topK,
      placement,
      scoreBias: o.scoreBias,
      ...(readHeads ? { readHeads } : {}),
      // The far read applies with placement 'age' only (the other placements have no distance to go beyond).
      ...(o.maxDistance > 0 && placement === 'age' ? { maxDistance: o.maxDistance, beyond: o.beyond, beyondBias: o.beyondBias } : {}),
    };
    CamelotMemory.for(model, read); // a read the model cannot carry (a head it lacks) fails here, before any run
    const methods = o.quick
      ? methodList({ memories: o.memories, threshold: o.threshold, read }).slice(0, 4)
      : methodList({ memories: o.memories, threshold: o.threshold, otherMemories, otherThresholds, readAlternatives: o.readAlternatives, read });
    io.stderr(`camelot: ${methods.length} methods over ${docs} held-out documents of ${length} tokens\n`);
    const longContext = await longContextExperiment(model, documents, { methods, window: o.window, tokenizer: model.tokenizer, log: (l) => io.stderr(`  ${l}\n`) });
    const camelotMethod = methods.find((m) => m.memory?.policy === 'camelot')!;
    const camelotConfig = camelotMethod.memory!;
    // The planted repeat with every method's memory (the table's last column); CAMELoT's is the headline one.
    const plantedByMethod: Record<string, PlantedRepeatResult> = {};
    for (const m of methods) if (m.memory) plantedByMethod[m.name] = await plantedRepeat(model, model.tokenizer, heldOut.slice(0, o.quick ? 2 : 8), m.memory, { seed: o.seed, window: o.window });
    const planted = plantedByMethod[camelotMethod.name]!;
    const inWindow = await plantedRepeat(model, model.tokenizer, heldOut.slice(0, o.quick ? 2 : 8), camelotConfig, { seed: o.seed, window: o.window, at: 10, repeatAt: 70 });
    io.stderr(`  planted repeat: ${planted.withoutMemory.toFixed(3)} nats without memory, ${planted.withMemory.toFixed(3)} with (${(100 * planted.reduction).toFixed(1)} % lower); inside the window ${inWindow.withoutMemory.toFixed(3)}\n`);
    let icl: IclScore[] | null = null;
    if (o.icl) {
      const iclMethods = methods.filter((m) => m.memory === null || ['fifo', 'unbounded'].includes(m.memory.policy ?? '') || m === methods[3]);
      icl = await iclProbe(model, model.tokenizer, iclMethods.slice(0, o.quick ? 2 : iclMethods.length), o.quick ? { demonstrations: 60, scored: 20, trials: 2, seed: o.seed, window: o.window } : { seed: o.seed, window: o.window });
    }
    const result: CamelotRunResult = { options: o, checkpoint, longContext, plantedRepeat: planted, plantedByMethod, plantedInWindow: inWindow, icl, seconds: (Date.now() - start) / 1000 };
    writeOutputs(result, resolve(io.cwd, o.out));
    const table = formatMethodTable(longContext, plantedByMethod);
    io.stdout(`${table}\n`);
    io.stdout(`planted repeat (${planted.documents} documents, ${planted.length} random letters, repeated ${planted.repeatAt - planted.at} tokens later): loss ${planted.withoutMemory.toFixed(3)} -> ${planted.withMemory.toFixed(3)} nats (${(100 * planted.reduction).toFixed(1)} % lower); repeated inside the window (no memory needed): ${inWindow.withoutMemory.toFixed(3)} nats\n`);
    if (icl) io.stdout(`\n${formatIclTable(icl)}\n`);
    io.stdout(`\nweights unchanged: ${longContext.weightsUnchanged}; ${result.seconds.toFixed(0)} s; written to ${resolve(io.cwd, o.out)}\n`);
    return 0;
  } finally {
    model.dispose();
  }
}

/** Writes results.json, table.md and loss-by-position.svg under `out`. */
export function writeOutputs(result: CamelotRunResult, out: string): void {
  writeText(join(out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  let md = `${formatMethodTable(result.longContext, result.plantedByMethod)}\n`;
  const p = result.plantedRepeat;
  md += `\nPlanted repeat (${p.documents} documents, ${p.length} random letters, repeated ${p.repeatAt - p.at} tokens later): ${p.withoutMemory.toFixed(3)} nats without memory -> ${p.withMemory.toFixed(3)} with (${(100 * p.reduction).toFixed(1)} % lower); repeated inside the window, without memory: ${result.plantedInWindow.withoutMemory.toFixed(3)} nats\n`;
  if (result.icl) md += `\n${formatIclTable(result.icl)}\n`;
  writeText(join(out, 'table.md'), md);
  const lc = result.longContext;
  const show = lc.methods.filter((m) => m.memory === null || ['fifo', 'unbounded'].includes(m.memory.policy ?? '') || m === lc.methods[3]).slice(0, 6);
  const svg = linePlotSvg({
    title: `Held-out Brown: loss by position (${lc.documents} documents, window ${lc.window})`,
    xLabel: 'document position (tokens)',
    yLabel: 'bits per token',
    series: show.map((m) => ({ name: m.name, x: m.lossByPosition.map((_, i) => (i + 0.5) * lc.bucket), y: m.lossByPosition.map((l) => l / Math.LN2) })),
  });
  writeText(join(out, 'loss-by-position.svg'), svg);
}
