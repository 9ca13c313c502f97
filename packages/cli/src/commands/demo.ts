/**
 * `engram demo`: the main job. Stores Fashion-MNIST images in a modern Hopfield
 * memory, hides the bottom half of each, completes them by running the
 * dynamics with the visible half clamped, streams the energy of every step and
 * writes an HTML report with pictures.
 */
import { resolve } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { z, type BackendName, type DynamicsStep, type Engram } from '@engram/core';
import { buildCompletionTask, DEMO_MEMORIES, type CompletionScores, type DemoMemory } from '../demo/completion-task.js';
import { writeCompletionReport, type CompletionReportFiles } from '../demo/report.js';
import type { CliIO } from '../io.js';
import { formatNumber as fmt, formatStep } from './format-step.js';
import { defineCliCommand } from './types.js';

export { formatStep } from './format-step.js';

/** Models the demo can run. */
export const DEMO_MODELS = DEMO_MEMORIES;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  model?: DemoMemory;
  /** DrDAM random features. */
  features?: number;
  images?: number;
  steps?: number;
  beta?: number;
  outDir: string;
  /** The backend in use (reported). */
  backend: BackendName;
  source?: 'auto' | 'full' | 'subset';
  /** Print every step (default true). */
  stream?: boolean;
}

/** What the demo measured and wrote. */
export interface DemoResult extends CompletionScores {
  backend: BackendName;
  source: 'full' | 'subset';
  images: number;
  /** Number of descent steps applied. */
  steps: number;
  converged: boolean;
  energies: number[];
  elapsedMs: number;
  files: CompletionReportFiles;
}

/** Runs the demo, writing lines to `io` and files to `outDir` (the backend must be initialised). */
export async function runDemo(options: DemoOptions, io: CliIO, engram?: Engram): Promise<DemoResult> {
  const backend = options.backend;
  const t0 = Date.now();
  const task = await buildCompletionTask(
    {
      memory: options.model ?? 'core',
      ...(options.images !== undefined ? { images: options.images } : {}),
      ...(options.beta !== undefined ? { beta: options.beta } : {}),
      ...(options.features !== undefined ? { features: options.features } : {}),
      source: options.source ?? 'auto',
    },
    engram,
  );
  try {
    const K = task.count;
    const shown = Math.min(8, K);
    io.stdout(`engram demo: image completion with an associative memory (${task.memory})\n`);
    io.stdout(`backend: ${backend}\n`);
    io.stdout(`data: Fashion-MNIST (${task.source === 'full' ? 'full set' : 'committed subset'}), ${K} images stored; each query hides its bottom half\n`);
    io.stdout(`model: ${task.description}\n`);
    const maxSteps = options.steps ?? 100;
    const energies: number[] = [];
    const frames: Float32Array[] = [];
    const frameSteps: number[] = [];
    let final: Float32Array | undefined;
    let last: DynamicsStep | undefined;
    await lastValueFrom(
      task
        .run({
          maxSteps,
          snapshot: { layers: [task.layer], every: Math.max(1, Math.ceil(maxSteps / 10)) },
          onFinal: (state) => {
            final = state[task.layer]!.dataSync() as Float32Array;
            for (const t of Object.values(state)) t.dispose();
          },
        })
        .pipe(
          tap((s) => {
            energies.push(s.energy ?? NaN);
            last = s;
            const snap = s.states?.[task.layer];
            if (snap) {
              frames.push(task.toPixels(snap.data.subarray(0, shown * task.stride), shown));
              frameSteps.push(s.step);
            }
            if (options.stream !== false) io.stdout(formatStep(s));
          }),
        ),
    );
    if (!final || !last) throw new Error('the dynamics ended without a final state');
    const completed = task.toPixels(final, K);
    const scores = task.score(completed);
    const elapsedMs = Date.now() - t0;
    const steps = last.step;
    const hits = Math.round(scores.accuracy * K);
    const summary: [string, string][] = [
      ['backend', backend],
      ['data', `Fashion-MNIST ${task.source === 'full' ? 'full set' : 'committed subset'}, test split`],
      ['images stored / queried', String(K)],
      ['memory', task.description],
      ['steps', `${steps}${last.converged ? ' (converged: max|dx| < 1e-4)' : ' (step limit)'}`],
      ['retrieval accuracy', `${hits}/${K} = ${(scores.accuracy * 100).toFixed(1)}%`],
      ['pixel MSE, hidden half (completed)', scores.mse.toFixed(4)],
      ['pixel MSE, hidden half (query: mean image)', scores.baselineMse.toFixed(4)],
      ['energy first -> last', `${fmt(energies[0]!)} -> ${fmt(energies[energies.length - 1]!)}`],
      ['time', `${(elapsedMs / 1000).toFixed(1)} s`],
    ];
    const files = writeCompletionReport({
      outDir: options.outDir,
      title: 'engram demo: completing Fashion-MNIST images',
      description: `An associative memory (${task.description}) stores ${K} images; each query hides its bottom half, which the dynamics fill in while the visible half stays clamped.`,
      width: task.width,
      height: task.height,
      originals: task.originals,
      occluded: task.occluded,
      completed,
      shown,
      frames,
      frameSteps,
      energies,
      results: summary,
    });
    io.stdout(`done: ${steps} steps${last.converged ? ' (converged)' : ''} in ${(elapsedMs / 1000).toFixed(1)} s\n`);
    io.stdout(`retrieval accuracy: ${hits}/${K} = ${(scores.accuracy * 100).toFixed(1)}%\n`);
    io.stdout(`pixel MSE on the hidden half: ${scores.mse.toFixed(4)} (query before completion: ${scores.baselineMse.toFixed(4)})\n`);
    io.stdout(`report: ${files.report}\n`);
    return { ...scores, backend, source: task.source, images: K, steps, converged: last.converged, energies, elapsedMs, files };
  } finally {
    task.dispose();
  }
}

/** The `demo` subcommand. */
export const demoCommand = defineCliCommand({
  name: 'demo',
  description: 'the main job: store Fashion-MNIST images, complete occluded ones, write a report',
  options: z.strictObject({
    model: z.enum(DEMO_MEMORIES as unknown as [DemoMemory, ...DemoMemory[]]).default('core').describe('memory: core (a modern Hopfield network built from core parts) or a @engram/hopfield model'),
    images: z.number().int().min(1).max(2000).default(64).describe('images stored and queried'),
    steps: z.number().int().min(1).max(100000).default(100).describe('maximum descent steps (stops earlier on convergence)'),
    beta: z.number().positive().optional().describe('inverse temperature of the memory (default 0.2; drdam 0.05)'),
    features: z.number().int().positive().optional().describe('hopfield/drdam: random projections (default 4096)'),
    out: z.string().default('engram-out').describe('output folder'),
    source: z.enum(['auto', 'full', 'subset']).default('auto').describe('Fashion-MNIST: the full set when installed (auto), or the committed subset'),
    quiet: z.boolean().default(false).describe('print only the summary, not every step'),
  }),
  positionals: [],
  details:
    'Stores K Fashion-MNIST images in an associative memory, hides the bottom half of each, and completes them by energy descent with the visible half clamped. Writes report.html, completion.png, steps.png and energy.svg.',
  async run({ options: o }, io, ctx) {
    const engram = o.model === 'core' ? undefined : await ctx.engram();
    await runDemo(
      {
        model: o.model,
        images: o.images,
        steps: o.steps,
        ...(o.beta !== undefined ? { beta: o.beta } : {}),
        ...(o.features !== undefined ? { features: o.features } : {}),
        outDir: resolve(io.cwd, o.out),
        backend: ctx.backend,
        source: o.source,
        stream: !o.quiet,
      },
      io,
      engram,
    );
    return 0;
  },
});
