/**
 * `engram et-graph`: the graph anomaly-detection experiment from the command
 * line (see runGraphExperiment); prints the ROC-AUCs and writes results.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isEngramError, type CommandIO } from '@engram/core';
import { runGraphExperiment, type GraphExperimentOptions } from '../graph/experiment.js';
import { numArg, parseArgs, progressLine } from './args.js';

/** Usage text of `engram et-graph`. */
export const ET_GRAPH_USAGE = `engram et-graph [--out DIR] [--nodes N] [--cliques Q] [--clique-size S] [--contextual C]
  [--labelled FRACTION] [--train-steps K] [--lr LR] [--dim D] [--heads H] [--memories M] [--steps T] [--pe-dim K] [--seed S]`;

const KNOWN = ['out', 'nodes', 'cliques', 'clique-size', 'contextual', 'labelled', 'train-steps', 'lr', 'dim', 'heads', 'memories', 'steps', 'pe-dim', 'seed', 'help'];

/** Runs `engram et-graph`; returns the exit code. */
export async function etGraphCommand(argv: readonly string[], io: CommandIO): Promise<number> {
  try {
    const a = parseArgs(argv, KNOWN);
    if (a.has('help')) {
      io.stdout(`${ET_GRAPH_USAGE}\n`);
      return 0;
    }
    const dim = numArg(a, 'dim', 32, true);
    const heads = numArg(a, 'heads', 4, true);
    const opts: GraphExperimentOptions = {
      graph: {
        nodes: numArg(a, 'nodes', 600, true),
        cliques: numArg(a, 'cliques', 3, true),
        cliqueSize: numArg(a, 'clique-size', 10, true),
        contextual: numArg(a, 'contextual', 30, true),
      },
      labelled: numArg(a, 'labelled', 0.3),
      trainSteps: numArg(a, 'train-steps', 30, true),
      lr: numArg(a, 'lr', 3e-3),
      peDim: numArg(a, 'pe-dim', 8, true),
      seed: numArg(a, 'seed', 0, true),
      block: { tokenDim: dim, heads, headDim: Math.max(1, Math.floor(dim / heads)), memories: numArg(a, 'memories', 4 * dim, true), steps: numArg(a, 'steps', 12, true) },
      onEvent: (model, ev) => {
        if (ev.type === 'epoch' && ((ev.epoch + 1) % 10 === 0 || ev.epoch + 1 === ev.epochs)) io.stderr(`${progressLine(`${model} step`, ev.epoch + 1, ev.epochs, `loss ${ev.loss.toFixed(4)}`)}\n`);
      },
    };
    const r = await runGraphExperiment(opts);
    const out = resolve(io.cwd, a.get('out') ?? 'engram-out/et-graph');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'results.json'), `${JSON.stringify({ ...r, options: { ...opts, onEvent: undefined } }, null, 2)}\n`);
    const f = (x: number) => x.toFixed(4);
    io.stdout(
      [
        `node anomaly detection, ROC-AUC on the ${r.nodes - r.labelledNodes} unlabelled nodes (${r.nodes} nodes, ${r.anomalies} anomalies, ${r.labelledNodes} labelled):`,
        `  energy transformer          ${f(r.etAuc)}  (structural ${f(r.byKind.structural.et)}, contextual ${f(r.byKind.contextual.et)}; ${r.seconds.et.toFixed(0)} s)`,
        `  feature-only MLP            ${f(r.mlpAuc)}  (structural ${f(r.byKind.structural.mlp)}, contextual ${f(r.byKind.contextual.mlp)})`,
        `  degree/feature heuristic    ${f(r.heuristicAuc)}  (structural ${f(r.byKind.structural.heuristic)}, contextual ${f(r.byKind.contextual.heuristic)})`,
        `  neighbourhood heuristic     ${f(r.neighbourhoodAuc)}  (reference: hand-made for this injection protocol)`,
        `results: ${join(out, 'results.json')}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    io.stderr(`et-graph: ${isEngramError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    return isEngramError(err) ? 2 : 1;
  }
}
