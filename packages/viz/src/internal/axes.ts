/**
 * The frame shared by the line plot and the bar chart: title, axis labels,
 * grid lines, ticks and tick labels around a plot rectangle.
 */
import type { Scale } from '../scale.js';
import { escapeXml, px, textWidth } from './svg.js';

/** The plot rectangle in pixels. */
export interface PlotRect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A labelled tick. */
export interface Tick {
  readonly value: number;
  readonly label: string;
  /** Ready SVG text content used instead of the escaped label (e.g. 10 with a superscript exponent). */
  readonly markup?: string;
}

const tickText = (t: Tick): string => t.markup ?? escapeXml(t.label);

/** Everything {@link axesSvg} draws. */
export interface AxesSpec {
  readonly width: number;
  readonly height: number;
  readonly rect: PlotRect;
  readonly x: Scale;
  readonly y: Scale;
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  readonly xMinor?: readonly number[];
  readonly yMinor?: readonly number[];
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Slant x tick labels (long category names). */
  readonly rotateXLabels?: boolean;
  /** Draw vertical grid lines (off for categorical axes where they add nothing). */
  readonly xGrid?: boolean;
}

const GRID = '#e6e6e6';
const MINOR = '#f2f2f2';
const AXIS = '#333333';

/** Margins that fit the tick labels, title and axis labels. */
export function plotRect(
  width: number,
  height: number,
  yTickLabels: readonly string[],
  opts: { title: string; xLabel: string; yLabel: string; xLabelDrop?: number },
): PlotRect {
  const labelW = Math.max(0, ...yTickLabels.map((l) => textWidth(l, 11)));
  const left = Math.round(12 + (opts.yLabel ? 20 : 0) + labelW + 8);
  const top = opts.title ? 40 : 16;
  const bottom = height - Math.round(24 + (opts.xLabel ? 22 : 0) + (opts.xLabelDrop ?? 0));
  return { left, top, right: width - 20, bottom };
}

/** SVG for grid, frame, ticks and labels (drawn under the data). */
export function axesSvg(a: AxesSpec): string {
  const { rect: r, x, y } = a;
  const parts: string[] = [];
  for (const v of a.yMinor ?? []) {
    parts.push(`<line x1="${px(r.left)}" x2="${px(r.right)}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="${MINOR}"/>`);
  }
  for (const v of a.xMinor ?? []) {
    parts.push(`<line x1="${px(x(v))}" x2="${px(x(v))}" y1="${px(r.top)}" y2="${px(r.bottom)}" stroke="${MINOR}"/>`);
  }
  for (const t of a.yTicks) {
    const yy = px(y(t.value));
    parts.push(`<line x1="${px(r.left)}" x2="${px(r.right)}" y1="${yy}" y2="${yy}" stroke="${GRID}"/>`);
    parts.push(`<line x1="${px(r.left - 5)}" x2="${px(r.left)}" y1="${yy}" y2="${yy}" stroke="${AXIS}"/>`);
    parts.push(`<text x="${px(r.left - 8)}" y="${yy}" font-size="11" text-anchor="end" dy="0.35em" fill="${AXIS}">${tickText(t)}</text>`);
  }
  for (const t of a.xTicks) {
    const xx = px(x(t.value));
    if (a.xGrid !== false) parts.push(`<line x1="${xx}" x2="${xx}" y1="${px(r.top)}" y2="${px(r.bottom)}" stroke="${GRID}"/>`);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${px(r.bottom)}" y2="${px(r.bottom + 5)}" stroke="${AXIS}"/>`);
    if (a.rotateXLabels) {
      const ty = px(r.bottom + 10);
      parts.push(`<text x="${xx}" y="${ty}" font-size="11" text-anchor="end" dy="0.8em" transform="rotate(-35 ${xx} ${ty})" fill="${AXIS}">${tickText(t)}</text>`);
    } else {
      parts.push(`<text x="${xx}" y="${px(r.bottom + 9)}" font-size="11" text-anchor="middle" dy="0.8em" fill="${AXIS}">${tickText(t)}</text>`);
    }
  }
  parts.push(`<rect x="${px(r.left)}" y="${px(r.top)}" width="${px(r.right - r.left)}" height="${px(r.bottom - r.top)}" fill="none" stroke="${AXIS}"/>`);
  if (a.title) {
    parts.push(`<text x="${px((r.left + r.right) / 2)}" y="24" font-size="15" font-weight="bold" text-anchor="middle" fill="#111111">${escapeXml(a.title)}</text>`);
  }
  if (a.xLabel) {
    parts.push(`<text x="${px((r.left + r.right) / 2)}" y="${px(a.height - 10)}" font-size="12" text-anchor="middle" fill="${AXIS}">${escapeXml(a.xLabel)}</text>`);
  }
  if (a.yLabel) {
    const cy = px((r.top + r.bottom) / 2);
    parts.push(`<text x="16" y="${cy}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${cy})" fill="${AXIS}">${escapeXml(a.yLabel)}</text>`);
  }
  return `<g class="axes">${parts.join('')}</g>`;
}

/**
 * Where the legend goes: a corner inside the plot, 'right' (outside, the plot
 * narrows to make room), 'auto' (the first corner where it hides no data, else
 * 'right'), or 'none'.
 */
export type LegendPosition = 'auto' | 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'right' | 'none';

/** A box in pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const CORNERS = ['top-right', 'top-left', 'bottom-right', 'bottom-left'] as const;
const ROW_H = 18;

/** Width of the legend box in pixels. */
export function legendWidth(entries: readonly LegendEntry[]): number {
  return 50 + Math.max(0, ...entries.map((e) => textWidth(e.name, 11)));
}

/** The legend box at a position ('right' = just outside the plot's right edge). */
export function legendBox(entries: readonly LegendEntry[], r: PlotRect, pos: (typeof CORNERS)[number] | 'right'): Box {
  const w = legendWidth(entries);
  const h = 8 + ROW_H * entries.length;
  if (pos === 'right') return { x: r.right + 12, y: r.top, w, h };
  const x = pos.endsWith('right') ? r.right - w - 8 : r.left + 8;
  const y = pos.startsWith('top') ? r.top + 8 : r.bottom - h - 8;
  return { x, y, w, h };
}

/**
 * Resolves 'auto': the first corner (top-right, top-left, bottom-right,
 * bottom-left) where `cost(box)`, the data the legend would hide, is zero; else
 * 'right', outside the plot. Other positions pass through.
 */
export function resolveLegend(
  pos: LegendPosition,
  entries: readonly LegendEntry[],
  r: PlotRect,
  cost: (box: Box) => number,
): Exclude<LegendPosition, 'auto'> {
  if (pos !== 'auto') return pos;
  if (entries.length === 0) return 'none';
  return CORNERS.find((c) => cost(legendBox(entries, r, c)) === 0) ?? 'right';
}

/** The plot rectangle narrowed to leave room for a legend outside on the right. */
export function rectForLegend(r: PlotRect, entries: readonly LegendEntry[]): PlotRect {
  return { ...r, right: r.right - legendWidth(entries) - 16 };
}

/** One legend row. */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly marker?: boolean;
  /** 'line' draws a line sample, 'box' a filled square (bars). */
  readonly kind: 'line' | 'box';
}

/** A legend box with one row per entry. */
export function legendSvg(entries: readonly LegendEntry[], r: PlotRect, pos: Exclude<LegendPosition, 'auto'>): string {
  if (pos === 'none' || entries.length === 0) return '';
  const rowH = ROW_H;
  const { x: x0, y: y0, w, h } = legendBox(entries, r, pos);
  const bg = pos === 'right' ? 'fill="#ffffff" stroke="#dddddd"' : 'fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"';
  const parts = [`<rect x="${px(x0)}" y="${px(y0)}" width="${px(w)}" height="${px(h)}" ${bg}/>`];
  entries.forEach((e, i) => {
    const cy = y0 + 4 + rowH * i + rowH / 2;
    const color = escapeXml(e.color);
    if (e.kind === 'box') {
      parts.push(`<rect x="${px(x0 + 10)}" y="${px(cy - 5)}" width="20" height="10" fill="${color}"/>`);
    } else {
      const dash = e.dashed ? ' stroke-dasharray="6 4"' : '';
      parts.push(`<line x1="${px(x0 + 6)}" x2="${px(x0 + 34)}" y1="${px(cy)}" y2="${px(cy)}" stroke="${color}" stroke-width="2"${dash}/>`);
      if (e.marker) parts.push(`<circle cx="${px(x0 + 20)}" cy="${px(cy)}" r="3" fill="${color}"/>`);
    }
    parts.push(`<text x="${px(x0 + 40)}" y="${px(cy)}" font-size="11" dy="0.35em" fill="#222222">${escapeXml(e.name)}</text>`);
  });
  return `<g class="legend">${parts.join('')}</g>`;
}

/** Tableau-10: distinct, colour-blind-friendlier than pure hues. */
export const PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];
