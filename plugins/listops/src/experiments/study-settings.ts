/**
 * The settings of the study (`engram listops`): the sweep (tasks x widths x
 * seeds), the architecture, the data and the optimisation, with the full and
 * the quick presets. Every key can be given; what is left out comes from the
 * preset (`quick` or full).
 */
import { errors, z } from '@engram/core';
import { generatorPreset, type GeneratorOptions } from '../listops/options.js';
import { resolveGeneratorOptions } from '../listops/generate.js';
import type { DataSizes } from './task-data.js';
import type { PhaseSettings } from './train-phase.js';
import { STUDY_TASKS, taskDefinition } from './tasks.js';

/** Resolved settings of a study. */
export interface StudySettings {
  tasks: string[];
  widths: number[];
  seeds: number[];
  layers: number;
  heads: number;
  ffn: number;
  format: 'cot' | 'answer';
  generator: GeneratorOptions;
  sizes: DataSizes;
  phase: Omit<PhaseSettings, 'seed'>;
  /** Test accuracy at or above which a model has learned a task. */
  criterion: number;
  /** Test expressions used for the ablations (the first ones of the test set). */
  analysisSize: number;
}

const common = {
  layers: 1,
  heads: 1,
  ffn: 4,
  format: 'cot' as const,
  criterion: 0.9,
};

/** The full study: 7 tasks x 6 widths x 3 seeds on depth-2 expressions (its run time is in the README). */
export const FULL_STUDY: StudySettings = {
  ...common,
  tasks: [...STUDY_TASKS],
  widths: [4, 6, 8, 12, 16, 24],
  seeds: [0, 1, 2],
  generator: generatorPreset('small'),
  sizes: { train: 4000, share: 'per-operator', val: 200, test: 1000 },
  phase: { batchSize: 128, lr: 3e-3, maxEpochs: 20, minEpochs: 8, target: 0.95, patience: 4, minDelta: 0.002 },
  analysisSize: 300,
};

/** The quick study: every task at two widths, one seed, flat lists, a few epochs (for tests; well under a minute). */
export const QUICK_STUDY: StudySettings = {
  ...common,
  tasks: [...STUDY_TASKS],
  widths: [4, 8],
  seeds: [0],
  generator: generatorPreset('small', { maxDepth: 1 }),
  sizes: { train: 128, share: 'per-operator', val: 32, test: 48 },
  phase: { batchSize: 32, lr: 1e-2, maxEpochs: 2, minEpochs: 0, target: 0.98, patience: 2, minDelta: 0.002 },
  analysisSize: 32,
};

/** The command's options: every key optional (the preset fills it), described for --help. */
export const studyOptionsSchema = z.strictObject({
  quick: z.boolean().default(false).describe('the quick preset: 7 tasks x widths 4, 8 x seed 0 on flat lists, 2 epochs (about a minute)'),
  out: z.string().default('engram-out/listops').describe('folder for results.jsonl, results.json, summary.md and the plots'),
  fresh: z.boolean().default(false).describe('ignore (and replace) results already in out/results.jsonl instead of resuming'),
  tasks: z.array(z.string()).optional().describe(`task mixes (default: ${STUDY_TASKS.join(', ')}); 'A+B' trains jointly, 'A+B->C' pretrains on A+B then trains on C`),
  widths: z.array(z.number().int().min(2).max(256)).optional().describe('model widths d (default full: 4 6 8 12 16 24)'),
  seeds: z.array(z.number().int()).optional().describe('seeds of data, initialisation and batch order (default full: 0 1 2)'),
  layers: z.number().int().min(1).max(4).optional().describe('transformer blocks (default 1)'),
  heads: z.number().int().min(1).max(8).optional().describe('attention heads (default 1, as the paper)'),
  ffn: z.number().min(0).max(8).optional().describe('feed-forward size as a multiple of width, 0 for none (default 4, as nanoGPT)'),
  format: z.enum(['cot', 'answer']).optional().describe("'cot' (default): write a chain of thought, as the paper does (its style: chainOfThought); 'answer': classify the bare expression"),
  chainOfThought: z.enum(['running', 'lists']).optional().describe("with format 'cot': 'running' (default) the running value after every argument, 'lists' each list's value once after its ']'"),
  maxDepth: z.number().int().min(1).max(4).optional().describe('most levels of nesting (default full 2, quick 1)'),
  maxArgs: z.number().int().min(2).max(6).optional().describe('most arguments per operator (default 3)'),
  mixing: z.enum(['expression', 'node']).optional().describe("joint data: 'expression' (default) one operator per expression, 'node' operators mixed inside expressions"),
  modulus: z.number().int().min(2).max(64).optional().describe('SUM and NADD modulo this (default 10)'),
  train: z.number().int().min(8).optional().describe('training expressions per operator (default full 4000)'),
  share: z.enum(['per-operator', 'total']).optional().describe("joint data: 'per-operator' (default) train expressions of every operator, 'total' train expressions shared among them"),
  val: z.number().int().min(8).optional().describe('validation expressions per operator, for early stopping (default full 200)'),
  test: z.number().int().min(8).optional().describe('test expressions per operator (default full 1000)'),
  batchSize: z.number().int().min(1).optional().describe('batch size (default full 128)'),
  lr: z.number().positive().optional().describe('Adam learning rate (default full 3e-3)'),
  maxEpochs: z.number().int().min(1).optional().describe('most epochs per phase (default full 20)'),
  minEpochs: z.number().int().min(0).optional().describe('epochs before a plateau may stop a phase (default full 8)'),
  patience: z.number().int().min(1).optional().describe('epochs without validation improvement before stopping (default full 4)'),
  target: z.number().min(0).max(1).optional().describe('stop a phase once validation accuracy reaches this (default full 0.95)'),
  criterion: z.number().min(0).max(1).optional().describe('"learned" = test accuracy at least this (default 0.9)'),
});

/** The command's options (parsed). */
export type StudyOptions = z.output<typeof studyOptionsSchema>;

/** The settings of a study from its options (preset, then the keys given); bad task names or combinations are coded errors. */
export function resolveStudySettings(o: Partial<StudyOptions>): StudySettings {
  const base = o.quick ? QUICK_STUDY : FULL_STUDY;
  const generator = resolveGeneratorOptions({
    ...base.generator,
    ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
    ...(o.maxArgs !== undefined ? { maxArgs: o.maxArgs } : {}),
    ...(o.mixing !== undefined ? { mixing: o.mixing } : {}),
    ...(o.modulus !== undefined ? { modulus: o.modulus } : {}),
    ...(o.chainOfThought !== undefined ? { chainOfThought: o.chainOfThought } : {}),
  });
  const s: StudySettings = {
    tasks: o.tasks ?? base.tasks,
    widths: o.widths ?? base.widths,
    seeds: o.seeds ?? base.seeds,
    layers: o.layers ?? base.layers,
    heads: o.heads ?? base.heads,
    ffn: o.ffn ?? base.ffn,
    format: o.format ?? base.format,
    generator,
    sizes: { train: o.train ?? base.sizes.train, share: o.share ?? base.sizes.share, val: o.val ?? base.sizes.val, test: o.test ?? base.sizes.test },
    phase: {
      ...base.phase,
      ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
      ...(o.lr !== undefined ? { lr: o.lr } : {}),
      ...(o.maxEpochs !== undefined ? { maxEpochs: o.maxEpochs } : {}),
      ...(o.patience !== undefined ? { patience: o.patience } : {}),
      ...(o.minEpochs !== undefined ? { minEpochs: o.minEpochs } : {}),
      ...(o.target !== undefined ? { target: o.target } : {}),
    },
    criterion: o.criterion ?? base.criterion,
    analysisSize: base.analysisSize,
  };
  if (s.tasks.length === 0 || s.widths.length === 0 || s.seeds.length === 0) throw errors.invalidArgument('tasks, widths and seeds', 'non-empty lists', { tasks: s.tasks, widths: s.widths, seeds: s.seeds });
  for (const t of s.tasks) taskDefinition(t);
  for (const w of s.widths) if (w % s.heads !== 0) throw errors.invalidArgument(`width ${w}`, `a multiple of heads (${s.heads})`, w);
  s.analysisSize = Math.min(s.analysisSize, s.sizes.test);
  return s;
}
