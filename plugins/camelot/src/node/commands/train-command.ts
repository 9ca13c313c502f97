/** `engram camelot-train`: retrains the small GPT from scratch on the Brown training documents (what made data/gpt-brown.*). */
import { resolve } from 'node:path';
import { z, type CommandArgs, type CommandIO, type Engram } from '@engram/core';
import { BROWN_GPT_CONFIG, trainBrownGpt, type TrainingPhase } from '../experiments/train-brown-gpt.js';

/** Options of `engram camelot-train`. */
export const trainCommandOptions = z.strictObject({
  out: z.string().default('engram-out/camelot-train/gpt-brown').describe('checkpoint path (writes <out>.json, <out>.weights.bin, <out>.training.json)'),
  warmupEpochs: z.number().int().min(0).default(0).describe("epochs of a copying warm-up on 'camelot/copy-strings' before Brown (0: none, the committed recipe; the character model needed 6)"),
  warmupLr: z.number().positive().default(2e-3).describe('learning rate of the warm-up'),
  epochs: z.number().int().min(1).default(8).describe('epochs of the first Brown phase'),
  lr: z.number().positive().default(2e-3).describe('learning rate of the first Brown phase (Adam)'),
  finalEpochs: z.number().int().min(0).default(2).describe('epochs of the final phase'),
  finalLr: z.number().positive().default(1e-3).describe('learning rate of the final phase'),
  finalRepeatFraction: z.number().min(0).max(1).default(0.5).describe('share of windows with a repeated span in the final phase'),
  finalRepeatLength: z.number().int().min(6).max(63).default(56).describe('longest repeated span in the final phase'),
  limit: z.number().int().min(1).default(4096).describe('training windows (129 tokens) drawn per epoch'),
  batchSize: z.number().int().min(1).default(16).describe('windows per batch'),
  repeatFraction: z.number().min(0).max(1).default(0.5).describe('share of windows with a span (random tokens or the window\'s own text) repeated later in the window, first Brown phase'),
  repeatAlphabet: z.enum(['lowercase', 'characters']).default('characters').describe("what random repeated spans are drawn from: 'characters' every token but the separators (the committed recipe), 'lowercase' single lowercase letters"),
  repeatLength: z.number().int().min(6).max(63).default(40).describe('longest repeated span in the first Brown phase'),
  seed: z.number().int().default(0).describe('seed of the window draws'),
});

/** The training phases the options ask for (the defaults give BROWN_GPT_PHASES, the committed recipe; a test checks it). */
export function trainingPhases(o: z.output<typeof trainCommandOptions>): TrainingPhase[] {
  return [
    ...(o.warmupEpochs > 0 ? [{ epochs: o.warmupEpochs, lr: o.warmupLr, repeatFraction: 0, data: 'camelot/copy-strings' }] : []),
    { epochs: o.epochs, lr: o.lr, repeatFraction: o.repeatFraction, repeatLength: o.repeatLength, repeatAlphabet: o.repeatAlphabet },
    ...(o.finalEpochs > 0 ? [{ epochs: o.finalEpochs, lr: o.finalLr, repeatFraction: o.finalRepeatFraction, repeatLength: o.finalRepeatLength, repeatAlphabet: o.repeatAlphabet }] : []),
  ];
}

/** The command's body. */
export async function runTrainCommand(args: CommandArgs<z.output<typeof trainCommandOptions>>, io: CommandIO, engram: Engram): Promise<number> {
  const o = args.options;
  const phases = trainingPhases(o);
  const out = resolve(io.cwd, o.out);
  const { model, report } = await trainBrownGpt(engram, { config: BROWN_GPT_CONFIG, phases, limit: o.limit, batchSize: o.batchSize, seed: o.seed, repeatFraction: o.repeatFraction, out, log: (l) => io.stderr(`${l}\n`) });
  model.dispose();
  const last = report.epochs[report.epochs.length - 1];
  io.stdout(`trained on ${report.tokensSeen} tokens in ${report.seconds.toFixed(0)} s; held-out ${last ? last.heldOutBitsPerChar.toFixed(3) : '?'} bits/char; saved ${out}.json\n`);
  return 0;
}
