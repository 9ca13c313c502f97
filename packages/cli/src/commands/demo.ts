/**
 * `engram demo`: the main job. Stores Fashion-MNIST images in a modern Hopfield
 * memory, hides the bottom half of each, completes them by running the
 * dynamics with the visible half clamped, streams the energy of every step and
 * writes an HTML report with pictures.
 */
import { resolve } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { initBackend, type BackendName, type DynamicsStep } from '@engram/core';
import { choiceOpt, numberOpt, parseCommandArgs, stringOpt } from '../args.js';
import { buildCompletionTask, DEMO_MEMORIES, type CompletionScores, type DemoMemory } from '../demo/completion-task.js';
import { writeCompletionReport, type CompletionReportFiles } from '../demo/report.js';
import type { CliIO } from '../io.js';
import type { CliCommand } from './types.js';
import type { Engram } from '@engram/core';

/** Models the demo can run. */
export const DEMO_MODELS = DEMO_MEMORIES;

const USAGE = `Usage: engram demo [options]

Stores K Fashion-MNIST images in an associative memory, hides the bottom half of
each, and completes them by energy descent with the visible half clamped. Streams
the energy of each step, prints accuracy and pixel error, and writes an HTML
report with pictures (report.html, completion.png, steps.png, energy.svg).

Options:
  --model ID       memory to use: ${DEMO_MODELS.join(' | ')} (default core: a modern
                   Hopfield network built from core parts; the others come from @engram/hopfield)
  --images K       images stored and queried (default 64)
  --steps N        maximum number of descent steps (default 100; stops earlier on convergence)
  --beta B         inverse temperature of the memory (default 0.2; drdam 0.05)
  --features Y     hopfield/drdam: random projections (default 4096)
  --out DIR        output folder (default ./engram-out)
  --backend NAME   wasm | cpu (default wasm, or $ENGRAM_BACKEND)
  --source S       auto | full | subset: Fashion-MNIST source (default auto: the full set
                   when installed, else the committed subset)
  --quiet          print only the summary, not every step
  -h, --help       this text
`;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  model?: DemoMemory;
  /** DrDAM random features. */
  features?: number;
  images?: number;
  steps?: number;
  beta?: number;
  outDir: string;
  backend?: BackendName;
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

const fmt = (x: number): string => (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toFixed(4));

/** Formats one dynamics step as a terminal line. */
export function formatStep(s: DynamicsStep): string {
  const e = s.energy === null ? '-' : fmt(s.energy);
  const d = s.step === 0 ? '-' : s.delta.toExponential(2);
  return `step ${String(s.step).padStart(4)}  t=${s.t.toFixed(2).padStart(6)}  energy ${e.padStart(12)}  max|dx| ${d}${s.converged ? '  converged' : ''}\n`;
}

/** Runs the demo, writing lines to `io` and files to `outDir`. */
export async function runDemo(options: DemoOptions, io: CliIO, engram?: Engram): Promise<DemoResult> {
  const backend = await initBackend(options.backend ? { backend: options.backend } : {});
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
    io.stdout(
      `data: Fashion-MNIST (${task.source === 'full' ? 'full set' : 'committed subset'}), ${K} images stored; each query hides its bottom half\n`,
    );
    io.stdout(`model: ${task.description}\n`);
    const maxSteps = options.steps ?? 100;
    const energies: number[] = [];
    const frames: Float32Array[] = [];
    const frameSteps: number[] = [];
    let final: Float32Array | undefined;
    let last: DynamicsStep | undefined;
    const snapshotEvery = Math.max(1, Math.ceil(maxSteps / 10));
    await lastValueFrom(
      task
        .run({
          maxSteps,
          snapshot: [task.layer],
          snapshotEvery,
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
export const demoCommand: CliCommand = {
  name: 'demo',
  description: 'the main job: store Fashion-MNIST images, complete occluded ones, write a report',
  usage: USAGE,
  async run(args, io, ctx) {
    const p = parseCommandArgs('demo', args, {
      model: { type: 'string' },
      images: { type: 'string' },
      steps: { type: 'string' },
      beta: { type: 'string' },
      features: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      source: { type: 'string' },
      quiet: { type: 'boolean' },
    }, false);
    if (p.values['help']) {
      io.stdout(USAGE);
      return 0;
    }
    const model = choiceOpt('demo', p, 'model', DEMO_MODELS, 'core');
    const engram = model === 'core' ? undefined : await ctx.engram();
    await runDemo(
      {
        model,
        images: numberOpt('demo', p, 'images', 64, { min: 1, max: 2000, integer: true }),
        steps: numberOpt('demo', p, 'steps', 100, { min: 1, max: 100000, integer: true }),
        ...(p.values['beta'] !== undefined ? { beta: numberOpt('demo', p, 'beta', 0.2, { min: 1e-6 }) } : {}),
        ...(p.values['features'] !== undefined ? { features: numberOpt('demo', p, 'features', 4096, { min: 1, integer: true }) } : {}),
        outDir: resolve(io.cwd, stringOpt(p, 'out', 'engram-out')!),
        ...(p.values['backend'] !== undefined ? { backend: choiceOpt('demo', p, 'backend', ['wasm', 'cpu'] as const, 'wasm') } : {}),
        source: choiceOpt('demo', p, 'source', ['auto', 'full', 'subset'] as const, 'auto'),
        stream: p.values['quiet'] !== true,
      },
      io,
      engram,
    );
    return 0;
  },
};
