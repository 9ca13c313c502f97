/**
 * Trains the small GPT from scratch on the Brown training documents through
 * its training face (core's `trainModel`), in phases of decreasing learning
 * rate, saving the checkpoint after every epoch so that an interrupted run
 * still leaves a usable model. This is what `engram camelot-train` runs, and
 * how the committed checkpoint (data/gpt-brown.json) was made.
 */
import { lastValueFrom, tap } from 'rxjs';
import { trainModel, type Engram } from '@engram/core';
import { saveModel } from '@engram/core/node';
import { writeFile } from 'node:fs/promises';
import type { GptConfigInput } from '../../models/gpt-config.js';
import { Gpt } from '../../models/gpt.js';

/** One phase: epochs at a learning rate, with its share of windows carrying a repeated span. */
export interface TrainingPhase {
  epochs: number;
  lr: number;
  /** Default: the run's `repeatFraction`. */
  repeatFraction?: number;
  /** Longest repeated span (default 24). */
  repeatLength?: number;
  /** What random repeated spans are drawn from (default 'lowercase'; see the training settings). */
  repeatAlphabet?: 'lowercase' | 'characters';
  /** The registered text data set it reads (default 'camelot/brown'; 'camelot/copy-strings' for the copying warm-up). */
  data?: string;
  /** Characters per training window (default the context length). */
  windowLength?: number;
}

/** Options of {@link trainBrownGpt}. */
export interface TrainBrownGptOptions {
  /** The GPT's config (defaults: the committed checkpoint's). */
  config?: GptConfigInput;
  /** Phases in order (default {@link BROWN_GPT_PHASES}). */
  phases?: readonly TrainingPhase[];
  /** Windows drawn per epoch (default 4096). */
  limit?: number;
  batchSize?: number;
  seed?: number;
  repeatFraction?: number;
  /** Checkpoint path (spec .json and .weights.bin beside it); saved after each epoch. */
  out: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Resume: a model holding the weights saved after phase `firstPhase - 1` (phases before `firstPhase` are skipped; each phase has its own optimizer and seed, so this equals an uninterrupted run). */
  resume?: { model: Gpt; firstPhase: number; report?: TrainingReport };
}

/**
 * The phases of the committed checkpoint (subword tokens): Brown at 2e-3 with
 * half of the windows repeating a span of up to 40 tokens (random tokens or
 * the window's own text: the copying a memory needs forms there, measured by
 * `scripts/copy-probe.mts`), then Brown at 1e-3 with spans of up to 56. The
 * character model needed a copying warm-up on 'camelot/copy-strings' first
 * (README "A base model that copies"); with subword tokens that warm-up did not
 * form an induction head in 3 epochs, while Brown with repeated random tokens
 * (each nearly unique in 1,857) did, so the warm-up is left out (its phase is
 * still available: `engram camelot-train --warmup-epochs 6`).
 */
export const BROWN_GPT_PHASES: readonly TrainingPhase[] = [
  { epochs: 8, lr: 2e-3, repeatFraction: 0.5, repeatLength: 40, repeatAlphabet: 'characters' },
  { epochs: 2, lr: 1e-3, repeatFraction: 0.5, repeatLength: 56, repeatAlphabet: 'characters' },
];

/** The config of the committed checkpoint: 3 blocks of width 96, 4 heads, rotary positions, smeared keys, window 128. */
export const BROWN_GPT_CONFIG: GptConfigInput = { subwordRanks: 2048, contextLength: 128, size: 96, heads: 4, blocks: 3, hiddenSize: 384, positions: 'rotary', smearKeys: true, seed: 0 };

/** What a training run reports (also written beside the checkpoint as `<out>.training.json`). */
export interface TrainingReport {
  config: GptConfigInput;
  phases: TrainingPhase[];
  limit: number;
  batchSize: number;
  seed: number;
  repeatFraction: number;
  epochs: { phase: number; epoch: number; lr: number; loss: number; heldOutLoss: number; heldOutBitsPerToken: number; heldOutBitsPerChar: number; seconds: number }[];
  tokensSeen: number;
  seconds: number;
}

/** Trains a GPT on Brown and saves it; resolves to the trained model and the report. */
export async function trainBrownGpt(engram: Engram, options: TrainBrownGptOptions): Promise<{ model: Gpt; report: TrainingReport }> {
  const config = options.config ?? BROWN_GPT_CONFIG;
  const phases = [...(options.phases ?? BROWN_GPT_PHASES)];
  const limit = options.limit ?? 4096;
  const batchSize = options.batchSize ?? 16;
  const seed = options.seed ?? 0;
  const repeatFraction = options.repeatFraction ?? 0.3;
  const log = options.log ?? (() => {});
  const model = options.resume?.model ?? new Gpt(config);
  const report: TrainingReport = options.resume?.report
    ? { ...options.resume.report, phases, epochs: [...options.resume.report.epochs] }
    : { config, phases, limit, batchSize, seed, repeatFraction, epochs: [], tokensSeen: 0, seconds: 0 };
  const start = Date.now() - report.seconds * 1000;
  let saving: Promise<unknown> = Promise.resolve();
  for (const [p, phase] of phases.entries()) {
    if (p < (options.resume?.firstPhase ?? 0)) continue;
    const settings = { epochs: phase.epochs, lr: phase.lr, limit, batchSize, seed: seed + 1000 * p, repeatFraction: phase.repeatFraction ?? repeatFraction, repeatLength: phase.repeatLength ?? 24, clipNorm: 1, ...(phase.data ? { data: phase.data } : {}), ...(phase.windowLength ? { windowLength: phase.windowLength } : {}), ...(phase.repeatAlphabet ? { repeatAlphabet: phase.repeatAlphabet } : {}) };
    await lastValueFrom(
      trainModel(model, { engram, settings }).pipe(
        tap((e) => {
          if (e.type === 'batch' && e.batch % 32 === 0) log(`phase ${p} epoch ${e.epoch} batch ${e.batch}/${e.batches} loss ${e.loss.toFixed(3)} (${((Date.now() - start) / 1000).toFixed(0)} s)`);
          if (e.type !== 'epoch') return;
          const m = e.metrics ?? {};
          report.tokensSeen += limit * (phase.windowLength ?? model.contextLength);
          report.epochs.push({ phase: p, epoch: e.epoch, lr: phase.lr, loss: e.loss, heldOutLoss: m['heldOutLoss'] ?? NaN, heldOutBitsPerToken: m['heldOutBitsPerToken'] ?? NaN, heldOutBitsPerChar: m['heldOutBitsPerChar'] ?? NaN, seconds: (Date.now() - start) / 1000 });
          log(`phase ${p} epoch ${e.epoch}: train loss ${e.loss.toFixed(4)}, held-out ${(m['heldOutBitsPerToken'] ?? NaN).toFixed(3)} bits/token, ${(m['heldOutBitsPerChar'] ?? NaN).toFixed(3)} bits/char`);
          report.seconds = (Date.now() - start) / 1000;
          // Serialisation reads the variables now, synchronously; only the file writes are awaited later.
          const snapshot = { ...report, epochs: [...report.epochs] };
          saving = saving.then(() => saveModel(model, options.out, { engram })).then(() => writeFile(`${options.out}.training.json`, `${JSON.stringify(snapshot, null, 2)}\n`));
        }),
      ),
    );
  }
  await saving;
  report.seconds = (Date.now() - start) / 1000;
  await writeFile(`${options.out}.training.json`, `${JSON.stringify(report, null, 2)}\n`);
  return { model, report };
}
