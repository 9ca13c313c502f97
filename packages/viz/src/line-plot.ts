/**
 * SVG line plots: energy against step, capacity against N (log-log), accuracy
 * after each task (categorical x). Output is a standalone SVG string.
 */
import { errors } from '@engram/core';
import { type Box, type LegendPosition, type PlotRect, type Tick, PALETTE, axesSvg, legendSvg, plotRect, rectForLegend, resolveLegend } from './internal/axes.js';
import { escapeXml, hashId, px, svgDocument, textWidth } from './internal/svg.js';
import { assertInt, checkRange, finiteNumbers } from './internal/validate.js';
import { type Scale, formatTick, linearScale, logScale, niceDomain, niceLogDomain } from './scale.js';

export type { LegendPosition } from './internal/axes.js';

/** One line of a {@link linePlotSvg}. */
export interface LineSeries {
  /** Legend text. */
  name: string;
  /** x values; default 0, 1, ..., y.length - 1. Must be absent with `xCategories`. */
  x?: ArrayLike<number>;
  /** y values (finite; > 0 on a log axis). */
  y: ArrayLike<number>;
  /** Draw dashed (e.g. theory against measurement). */
  dashed?: boolean;
  /** Any SVG colour; default from a 10-colour palette in series order. */
  color?: string;
  /** Dots at the data points; overrides the plot-wide `markers`. */
  markers?: boolean;
}

/** Input of {@link linePlotSvg}. */
export interface LinePlotOptions {
  series: readonly LineSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Base-10 log x axis (all x > 0). */
  logX?: boolean;
  /** Base-10 log y axis (all y > 0). */
  logY?: boolean;
  /** Pixels; default 640 x 400. */
  width?: number;
  height?: number;
  /** Dots at data points; default: only for series of at most 30 points. */
  markers?: boolean;
  /**
   * Categorical x axis: point i of every series sits over `xCategories[i]`
   * (e.g. 'after task 1', 'after task 2', ...). Series may be shorter than the list.
   */
  xCategories?: readonly string[];
  /** Fixed axis limits instead of nice limits around the data (points outside are clipped). */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  /** Default 'auto' (a corner hiding no data, else outside on the right); 'none' by default for a single series. */
  legend?: LegendPosition;
}

interface Prepared {
  name: string;
  xs: number[];
  ys: number[];
  color: string;
  dashed: boolean;
  markers: boolean;
}

function prepare(opts: LinePlotOptions): Prepared[] {
  const { series } = opts;
  if (!Array.isArray(series) || series.length === 0) {
    throw errors.invalidArgument('series', 'a non-empty array of { name, y } series', series);
  }
  const cats = opts.xCategories;
  return series.map((s, i) => {
    if (s === null || typeof s !== 'object' || s.y === undefined || typeof s.y.length !== 'number') {
      throw errors.invalidArgument(`series[${i}]`, 'an object { name, y: number[] }', s);
    }
    const ys = finiteNumbers(`series[${i}] '${s.name}' y`, s.y);
    if (ys.length === 0) throw errors.invalidArgument(`series[${i}] '${s.name}' y`, 'at least one value', []);
    let xs: number[];
    if (cats) {
      if (s.x !== undefined) throw errors.invalidArgument(`series[${i}].x`, 'absent when xCategories is given', 'an array');
      if (ys.length > cats.length) throw errors.shapeMismatch(`series[${i}] '${s.name}' y`, [`<= ${cats.length} (xCategories)`], [ys.length]);
      xs = ys.map((_, k) => k);
    } else if (s.x !== undefined) {
      xs = finiteNumbers(`series[${i}] '${s.name}' x`, s.x);
      if (xs.length !== ys.length) throw errors.shapeMismatch(`series[${i}] '${s.name}' x`, [ys.length], [xs.length]);
    } else {
      xs = ys.map((_, k) => k);
    }
    if (opts.logX && xs.some((v) => v <= 0)) {
      throw errors.invalidArgument(`series[${i}] '${s.name}' x`, 'all > 0 on a log x axis (drop zeros or use a linear axis)', Math.min(...xs));
    }
    if (opts.logY && ys.some((v) => v <= 0)) {
      throw errors.invalidArgument(`series[${i}] '${s.name}' y`, 'all > 0 on a log y axis (drop zeros or use a linear axis)', Math.min(...ys));
    }
    return {
      name: String(s.name),
      xs,
      ys,
      color: s.color ?? (PALETTE[i % PALETTE.length] as string),
      dashed: s.dashed === true,
      markers: s.markers ?? opts.markers ?? ys.length <= 30,
    };
  });
}

function extent(values: readonly number[][]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const vs of values) for (const v of vs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Domain for one axis: given, or nice bounds around the data. */
function axisDomain(name: string, data: [number, number], log: boolean, given?: readonly [number, number]): [number, number] {
  if (given) {
    const d = checkRange(name, given);
    if (log && d[0] <= 0) throw errors.invalidArgument(name, '[min, max] with min > 0 on a log axis', given);
    return d;
  }
  return log ? niceLogDomain(data[0], data[1]) : niceDomain(data[0], data[1]);
}

/**
 * Tick labels for an axis. On a log axis spanning large or tiny values, powers of
 * ten are written 10 with a raised exponent, which reads better than 1e6.
 */
export function axisTicks(scale: Scale, count: number): Tick[] {
  const values = scale.ticks(count);
  const pow = (v: number): number => Math.round(Math.log10(v));
  const isPow = (v: number): boolean => Math.abs(10 ** pow(v) - v) <= 1e-9 * v;
  const wide = scale.kind === 'log' && values.some((v) => v >= 1e4 || v <= 1e-3) && values.every(isPow);
  return values.map((value) => {
    const label = formatTick(value);
    if (!wide) return { value, label };
    return { value, label: `10^${pow(value)}`, markup: `10<tspan dy="-0.6em" font-size="8">${pow(value)}</tspan>` };
  });
}

/** How many sampled points of the polylines fall inside a box (legend placement). */
function pointsInside(lines: readonly (readonly [number, number])[][], b: Box): number {
  let n = 0;
  const inside = (x: number, y: number): boolean => x >= b.x - 4 && x <= b.x + b.w + 4 && y >= b.y - 4 && y <= b.y + b.h + 4;
  for (const pts of lines) {
    for (let i = 0; i < pts.length; i++) {
      const [x1, y1] = pts[i] as readonly [number, number];
      if (inside(x1, y1)) n++;
      const next = pts[i + 1];
      if (!next) continue;
      // Sample each segment every ~4 px so a line crossing the box counts even without points in it.
      const steps = Math.min(200, Math.ceil(Math.hypot(next[0] - x1, next[1] - y1) / 4));
      for (let k = 1; k < steps; k++) {
        if (inside(x1 + ((next[0] - x1) * k) / steps, y1 + ((next[1] - y1) * k) / steps)) n++;
      }
    }
  }
  return n;
}

/**
 * Draws series as lines on linear or log axes with nice ticks, grid, legend and
 * optional markers; returns a standalone SVG document string. Each series is one
 * `<polyline>` with one point per data point, so the output is easy to inspect.
 *
 * @throws EngramError INVALID_ARGUMENT for no series, empty y, x/y length mismatch
 *   (SHAPE_MISMATCH), values <= 0 on a log axis; NON_FINITE for NaN/Infinity values.
 */
export function linePlotSvg(opts: LinePlotOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  assertInt('width', width, 100);
  assertInt('height', height, 80);
  const series = prepare(opts);
  const cats = opts.xCategories;
  const title = opts.title ?? '';
  const xLabel = opts.xLabel ?? '';
  const yLabel = opts.yLabel ?? '';
  const logY = opts.logY === true;
  const logX = opts.logX === true && !cats;

  const yDom = axisDomain('yDomain', extent(series.map((s) => s.ys)), logY, opts.yDomain);
  const yProbe = logY ? logScale(yDom, [1, 0]) : linearScale(yDom, [1, 0]);
  const yTicks = axisTicks(yProbe, Math.max(3, Math.floor((height - 90) / 40)));
  const yLabels = yTicks.map((t) => (t.markup ? t.label.replace('^', '') : t.label));

  let rotate = false;
  let drop = 0;
  if (cats) {
    const longest = Math.max(...cats.map((c) => textWidth(c, 11)));
    const band = (width - 100) / Math.max(1, cats.length);
    rotate = longest > band * 0.9;
    drop = rotate ? Math.min(80, longest * 0.6) : 0;
  }
  const entries = series.map((s) => ({ name: s.name, color: s.color, dashed: s.dashed, marker: s.markers, kind: 'line' as const }));

  // Scales, ticks and data paths for one plot rectangle (drawn twice when the legend must move outside).
  const draw = (rect: PlotRect) => {
    const y: Scale = logY ? logScale(yDom, [rect.bottom, rect.top]) : linearScale(yDom, [rect.bottom, rect.top]);
    let x: Scale;
    let xTicks: Tick[];
    if (cats) {
      x = linearScale([-0.5, cats.length - 0.5], [rect.left, rect.right]);
      xTicks = cats.map((label, value) => ({ value, label }));
    } else {
      const xDom = axisDomain('xDomain', extent(series.map((s) => s.xs)), logX, opts.xDomain);
      x = logX ? logScale(xDom, [rect.left, rect.right]) : linearScale(xDom, [rect.left, rect.right]);
      xTicks = axisTicks(x, Math.max(3, Math.floor((rect.right - rect.left) / 80)));
    }
    const groups: string[] = [];
    const lines: [number, number][][] = [];
    for (const s of series) {
      const color = escapeXml(s.color);
      const xy = s.xs.map((xv, k): [number, number] => [x(xv), y(s.ys[k] as number)]);
      lines.push(xy);
      const pts = xy.map(([a, b]) => `${px(a)},${px(b)}`);
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      let g = `<g class="series" data-name="${escapeXml(s.name)}">`;
      g += `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}/>`;
      if (s.markers) {
        for (const p of pts) {
          const [cx, cy] = p.split(',');
          g += `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`;
        }
      }
      groups.push(g + '</g>');
    }
    return { rect, x, y, xTicks, lines, body: groups.join('') };
  };

  let d = draw(plotRect(width, height, yLabels, { title, xLabel, yLabel, xLabelDrop: drop }));
  const first = d;
  const legendPos = resolveLegend(opts.legend ?? (series.length > 1 ? 'auto' : 'none'), entries, d.rect, (b: Box) => pointsInside(first.lines, b));
  if (legendPos === 'right') d = draw(rectForLegend(d.rect, entries));
  const { rect } = d;
  const clip = `clip-${hashId(title + d.body)}`;
  const svg =
    `<defs><clipPath id="${clip}"><rect x="${px(rect.left)}" y="${px(rect.top)}" width="${px(rect.right - rect.left)}" height="${px(rect.bottom - rect.top)}"/></clipPath></defs>` +
    axesSvg({
      width,
      height,
      rect,
      x: d.x,
      y: d.y,
      xTicks: d.xTicks,
      yTicks,
      xMinor: d.x.minorTicks(),
      yMinor: d.y.minorTicks(),
      title,
      xLabel,
      yLabel,
      rotateXLabels: rotate,
      xGrid: !cats,
    }) +
    `<g clip-path="url(#${clip})">${d.body}</g>` +
    legendSvg(entries, rect, legendPos);
  return svgDocument(width, height, svg, title || 'line plot');
}

/** Options of {@link energyPlotSvg}: those of {@link linePlotSvg} minus the series. */
export interface EnergyPlotOptions extends Omit<LinePlotOptions, 'series'> {
  /** x value of each entry (e.g. the step indices of a subsampled stream); default 0, 1, 2, ... */
  steps?: ArrayLike<number>;
}

/**
 * Energy against dynamics step: one line, or one per run when given a record
 * `{ runName: energies }`. Defaults: title 'Energy descent', x label 'step', y label 'energy'.
 */
export function energyPlotSvg(
  energies: ArrayLike<number> | Readonly<Record<string, ArrayLike<number>>>,
  opts: EnergyPlotOptions = {},
): string {
  if (energies === null || typeof energies !== 'object') {
    throw errors.invalidArgument('energies', 'an array of numbers or a record of them', energies);
  }
  const runs: [string, ArrayLike<number>][] =
    typeof (energies as ArrayLike<number>).length === 'number'
      ? [['energy', energies as ArrayLike<number>]]
      : Object.entries(energies as Record<string, ArrayLike<number>>);
  const { steps, ...rest } = opts;
  return linePlotSvg({
    title: 'Energy descent',
    xLabel: 'step',
    yLabel: 'energy',
    ...rest,
    series: runs.map(([name, y]) => (steps === undefined ? { name, y } : { name, y, x: steps })),
  });
}
