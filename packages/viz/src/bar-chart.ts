/**
 * Grouped bar charts: one group per category, one bar per series (e.g. final
 * accuracy per task for several models).
 */
import { errors } from '@engram/core';
import { type Box, type LegendPosition, type PlotRect, PALETTE, axesSvg, legendSvg, plotRect, rectForLegend, resolveLegend } from './internal/axes.js';
import { escapeXml, px, svgDocument, textWidth } from './internal/svg.js';
import { assertInt, checkRange, finiteNumbers } from './internal/validate.js';
import { formatTick, linearScale, niceDomain } from './scale.js';

/** One bar per category, all in one colour. */
export interface BarSeries {
  name: string;
  /** One value per category. */
  values: ArrayLike<number>;
  color?: string;
}

/** Input of {@link barChartSvg}. */
export interface BarChartOptions {
  categories: readonly string[];
  series: readonly BarSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Fixed y limits (e.g. [0, 1] for accuracy); default nice limits including 0. */
  yDomain?: readonly [number, number];
  width?: number;
  height?: number;
  /** Default 'auto' (a corner hiding no bar, else outside on the right); 'none' by default for a single series. */
  legend?: LegendPosition;
}

/**
 * Draws grouped bars from a baseline at 0 (or the y limit nearest 0) and returns
 * a standalone SVG document string. Each bar is one `<rect class="bar">`.
 *
 * @throws EngramError INVALID_ARGUMENT for no categories or series; SHAPE_MISMATCH
 *   when a series does not have one value per category; NON_FINITE for NaN/Infinity.
 */
export function barChartSvg(opts: BarChartOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  assertInt('width', width, 100);
  assertInt('height', height, 80);
  const cats = opts.categories;
  if (!Array.isArray(cats) || cats.length === 0) throw errors.invalidArgument('categories', 'a non-empty array of labels', cats);
  if (!Array.isArray(opts.series) || opts.series.length === 0) {
    throw errors.invalidArgument('series', 'a non-empty array of { name, values }', opts.series);
  }
  const series = opts.series.map((s, i) => {
    const values = finiteNumbers(`series[${i}] '${s.name}' values`, s.values);
    if (values.length !== cats.length) throw errors.shapeMismatch(`series[${i}] '${s.name}' values`, [cats.length], [values.length]);
    return { name: String(s.name), values, color: s.color ?? (PALETTE[i % PALETTE.length] as string) };
  });
  const all = series.flatMap((s) => s.values);
  const yDom = opts.yDomain
    ? checkRange('yDomain', opts.yDomain)
    : niceDomain(Math.min(0, ...all), Math.max(0, ...all));
  const title = opts.title ?? '';
  const xLabel = opts.xLabel ?? '';
  const yLabel = opts.yLabel ?? '';
  const yTickValues = linearScale(yDom, [1, 0]).ticks(6);
  const yLabels = yTickValues.map(formatTick);
  const longest = Math.max(...cats.map((c) => textWidth(c, 11)));
  const rotate = longest > ((width - 100) / cats.length) * 0.9;
  const entries = series.map((s) => ({ name: s.name, color: s.color, kind: 'box' as const }));

  // Bars for one plot rectangle (drawn twice when the legend must move outside).
  const draw = (rect: PlotRect) => {
    const x = linearScale([-0.5, cats.length - 0.5], [rect.left, rect.right]);
    const y = linearScale(yDom, [rect.bottom, rect.top]);
    const band = (rect.right - rect.left) / cats.length;
    const barW = (band * 0.8) / series.length;
    const base = y(Math.min(Math.max(0, yDom[0]), yDom[1]));
    const bars: string[] = [];
    const boxes: Box[] = [];
    series.forEach((s, j) => {
      s.values.forEach((v, i) => {
        const x0 = x(i) - band * 0.4 + j * barW;
        const yv = Math.min(rect.bottom, Math.max(rect.top, y(v)));
        boxes.push({ x: x0, y: Math.min(yv, base), w: barW, h: Math.abs(base - yv) });
        bars.push(
          `<rect class="bar" x="${px(x0)}" y="${px(Math.min(yv, base))}" width="${px(Math.max(0.5, barW - 1))}" ` +
            `height="${px(Math.abs(base - yv))}" fill="${escapeXml(s.color)}"><title>${escapeXml(`${s.name}, ${cats[i]}: ${formatTick(v)}`)}</title></rect>`,
        );
      });
    });
    return { rect, x, y, boxes, bars: bars.join('') };
  };
  let d = draw(plotRect(width, height, yLabels, { title, xLabel, yLabel, xLabelDrop: rotate ? Math.min(80, longest * 0.6) : 0 }));
  const first = d;
  // Legend placement cost: the bar area the legend box would hide.
  const legendPos = resolveLegend(opts.legend ?? (series.length > 1 ? 'auto' : 'none'), entries, d.rect, (b) =>
    first.boxes.reduce((acc, r) => {
      const ox = Math.min(b.x + b.w, r.x + r.w) - Math.max(b.x, r.x);
      const oy = Math.min(b.y + b.h, r.y + r.h) - Math.max(b.y, r.y);
      return acc + (ox > 0 && oy > 0 ? ox * oy : 0);
    }, 0),
  );
  if (legendPos === 'right') d = draw(rectForLegend(d.rect, entries));
  const { rect, x, y } = d;
  const body =
    axesSvg({
      width,
      height,
      rect,
      x,
      y,
      xTicks: cats.map((label, value) => ({ value, label })),
      yTicks: yTickValues.map((value, i) => ({ value, label: yLabels[i] as string })),
      title,
      xLabel,
      yLabel,
      rotateXLabels: rotate,
      xGrid: false,
    }) +
    d.bars +
    legendSvg(entries, rect, legendPos);
  return svgDocument(width, height, body, title || 'bar chart');
}
