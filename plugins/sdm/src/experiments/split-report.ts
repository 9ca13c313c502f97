/** The table and plot of a Split Fashion-MNIST result (text and SVG strings: any platform). */
import { linePlotSvg } from '@engram/viz';
import { formatTable } from '../internal/table.js';
import type { SplitFashionMnistResult } from './split-fmnist.js';

/** A plain-text table of a result: final accuracy, accuracy after each task, dead-neuron fraction, seconds per run. */
export function formatSplitTable(result: SplitFashionMnistResult): string {
  return formatTable(
    ['model', 'final acc', ...result.tasks.map((_, t) => `after T${t + 1}`), 'dead frac', 's/run'],
    result.models.map((m) => [m.label, m.finalAccuracy.toFixed(3), ...m.accuracyAfterTask.map((a) => a.toFixed(3)), m.deadNeuronFraction.toFixed(3), m.secondsPerRun.toFixed(0)]),
  );
}

/** The accuracy-after-each-task plot of a result (SVG). */
export function splitAccuracyPlot(result: SplitFashionMnistResult): string {
  return linePlotSvg({
    series: result.models.map((m) => ({ name: m.label, y: m.accuracyAfterTask })),
    xCategories: result.tasks.map((c, t) => `after T${t + 1} {${c.join(',')}}`),
    yLabel: '10-class test accuracy',
    yDomain: [0, 1],
    title: `Class-incremental Split Fashion-MNIST (N=${result.settings.hiddenSize}, k=${result.settings.k}, ${result.settings.epochsPerTask} epochs/task)`,
  });
}
