/**
 * Heatmaps of a matrix (overlap of the state with each stored pattern against
 * step, association matrices, weight matrices), as SVG with axes and colour bar,
 * or as a bare PNG.
 */
import { errors } from '@engram/core';
import { type ColormapName, autoRange, checkColormap, colormap, rgbHex } from './colormap.js';
import { blit, createCanvas, encodePng } from './internal/raster.js';
import { escapeXml, hashId, px, svgDocument, textWidth } from './internal/svg.js';
import { assertFinite, assertInt } from './internal/validate.js';
import { formatTick, linearScale, niceTicks } from './scale.js';
import { pngDataUri } from './data-uri.js';

/** A matrix: nested rows, or a flat row-major array with `rows` and `cols`. */
export type MatrixInput = Float32Array | readonly number[] | readonly (readonly number[])[];

/** The matrix and its colour mapping, shared by {@link heatmapSvg} and {@link heatmapPng}. */
export interface HeatmapData {
  values: MatrixInput;
  /** Required for a flat array; checked against nested rows. */
  rows?: number;
  cols?: number;
  /** Default 'viridis'. Use 'diverging' for signed data (white = 0 unless vmin/vmax say otherwise). */
  colormap?: ColormapName;
  /** Colour limits; default the data's min/max (symmetric about 0 for 'diverging'). Values outside are clamped. */
  vmin?: number;
  vmax?: number;
}

/** Input of {@link heatmapSvg}. */
export interface HeatmapSvgOptions extends HeatmapData {
  title?: string;
  /** Label of the column axis. */
  xLabel?: string;
  /** Label of the row axis (row 0 at the top). */
  yLabel?: string;
  /** One label per column / row; default the indices (thinned to nice ticks). */
  xTickLabels?: readonly string[];
  yTickLabels?: readonly string[];
  /** Pixels; default 640 x 400. */
  width?: number;
  height?: number;
  /**
   * Draw cells as one embedded PNG instead of one `<rect>` each. Default: when
   * rows x cols > 4096, which keeps large matrices (784 x 784) small and fast.
   */
  raster?: boolean;
}

/** Row-major copy of the matrix with its shape, after checks. */
function matrixOf(opts: HeatmapData): { data: Float32Array; rows: number; cols: number } {
  const v = opts.values;
  let data: Float32Array;
  let rows: number;
  let cols: number;
  if (Array.isArray(v) && v.length > 0 && typeof v[0] !== 'number') {
    const nested = v as readonly (readonly number[])[];
    rows = nested.length;
    cols = (nested[0] as readonly number[]).length;
    nested.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== cols) throw errors.shapeMismatch(`values[${i}]`, [cols], [Array.isArray(r) ? r.length : -1]);
    });
    if (opts.rows !== undefined && opts.rows !== rows) throw errors.shapeMismatch('values', [opts.rows, opts.cols ?? cols], [rows, cols]);
    if (opts.cols !== undefined && opts.cols !== cols) throw errors.shapeMismatch('values', [opts.rows ?? rows, opts.cols], [rows, cols]);
    data = Float32Array.from(nested.flat());
  } else if (v instanceof Float32Array || Array.isArray(v)) {
    rows = opts.rows as number;
    cols = opts.cols as number;
    assertInt('rows', rows, 1);
    assertInt('cols', cols, 1);
    if (v.length !== rows * cols) throw errors.shapeMismatch('values', [rows, cols], [v.length]);
    data = v instanceof Float32Array ? v : Float32Array.from(v as readonly number[]);
  } else {
    throw errors.invalidArgument('values', 'a Float32Array, number[] or number[][]', v);
  }
  if (rows === 0 || cols === 0) throw errors.invalidArgument('values', 'a non-empty matrix', [rows, cols]);
  assertFinite('values', data);
  return { data, rows, cols };
}

/** Colour limits from the options or the data. */
function limits(opts: HeatmapData, data: Float32Array, cmap: ColormapName): [number, number] {
  const [alo, ahi] = autoRange(data, cmap);
  const lo = opts.vmin ?? alo;
  const hi = opts.vmax ?? ahi;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw errors.invalidArgument('vmin/vmax', 'finite numbers with vmin < vmax', [opts.vmin, opts.vmax]);
  }
  return [lo, hi];
}

/** Tick positions (cell indices) and labels for one axis of n cells. */
function indexTicks(n: number, labels: readonly string[] | undefined, room: number, name: string): { i: number; label: string }[] {
  if (labels !== undefined) {
    if (labels.length !== n) throw errors.shapeMismatch(name, [n], [labels.length]);
    const every = Math.max(1, Math.ceil(n / Math.max(1, room)));
    return labels.map((label, i) => ({ i, label })).filter((t) => t.i % every === 0);
  }
  return niceTicks(0, n - 1, Math.max(2, Math.min(n, room))).filter(Number.isInteger).map((i) => ({ i, label: String(i) }));
}

/**
 * Draws a matrix as coloured cells with row/column axes and a colour bar;
 * returns a standalone SVG document string. Row 0 is at the top.
 *
 * @throws EngramError SHAPE_MISMATCH when values do not match rows x cols or labels
 *   do not match the matrix; INVALID_ARGUMENT for bad limits or colormap; NON_FINITE for NaN/Infinity.
 */
export function heatmapSvg(opts: HeatmapSvgOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  assertInt('width', width, 100);
  assertInt('height', height, 80);
  const cmap = checkColormap(opts.colormap ?? 'viridis');
  const { data, rows, cols } = matrixOf(opts);
  const [vmin, vmax] = limits(opts, data, cmap);
  const title = opts.title ?? '';
  const xLabel = opts.xLabel ?? '';
  const yLabel = opts.yLabel ?? '';

  const yt = indexTicks(rows, opts.yTickLabels, Math.floor((height - 100) / 18), 'yTickLabels');
  const labelW = Math.max(0, ...yt.map((t) => textWidth(t.label, 11)));
  const cbTicks = linearScale([vmin, vmax], [1, 0]).ticks(5);
  const cbW = Math.max(...cbTicks.map((t) => textWidth(formatTick(t), 11)));
  const left = Math.round(12 + (yLabel ? 20 : 0) + labelW + 8);
  const top = title ? 40 : 16;
  const right = width - Math.round(14 + 6 + cbW + 24);
  const bottom = height - (24 + (xLabel ? 22 : 0));
  const xt = indexTicks(cols, opts.xTickLabels, Math.floor((right - left) / 60), 'xTickLabels');
  const cw = (right - left) / cols;
  const ch = (bottom - top) / rows;
  const parts: string[] = [];

  const raster = opts.raster ?? rows * cols > 4096;
  if (raster) {
    // Many renderers ignore image-rendering and smooth the image; upscaling by an
    // integer factor first keeps cells crisp (smoothing then touches only cell edges).
    const up = Math.max(1, Math.min(Math.ceil(Math.max(cw, ch)), Math.floor(Math.sqrt((4 * 1024 * 1024) / (rows * cols)))));
    const canvas = createCanvas(cols * up, rows * up, [255, 255, 255]);
    blit(canvas, 0, 0, data, 0, cols, rows, up, { channels: 1, colormap: cmap, min: vmin, max: vmax });
    parts.push(
      `<image x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}" preserveAspectRatio="none" ` +
        `style="image-rendering:pixelated" href="${pngDataUri(encodePng(canvas))}"/>`,
    );
  } else {
    parts.push('<g shape-rendering="crispEdges">');
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c] as number;
        // Cells overlap by a hair so no background seams show between them.
        parts.push(
          `<rect class="cell" x="${px(left + c * cw)}" y="${px(top + r * ch)}" width="${px(cw + 0.3)}" height="${px(ch + 0.3)}" ` +
            `fill="${rgbHex(colormap(cmap, (v - vmin) / (vmax - vmin)))}"/>`,
        );
      }
    }
    parts.push('</g>');
  }
  parts.push(`<rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}" fill="none" stroke="#333333"/>`);
  for (const t of yt) {
    const yy = px(top + (t.i + 0.5) * ch);
    parts.push(`<line x1="${px(left - 4)}" x2="${px(left)}" y1="${yy}" y2="${yy}" stroke="#333333"/>`);
    parts.push(`<text x="${px(left - 7)}" y="${yy}" font-size="11" text-anchor="end" dy="0.35em" fill="#333333">${escapeXml(t.label)}</text>`);
  }
  for (const t of xt) {
    const xx = px(left + (t.i + 0.5) * cw);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${px(bottom)}" y2="${px(bottom + 4)}" stroke="#333333"/>`);
    parts.push(`<text x="${xx}" y="${px(bottom + 8)}" font-size="11" text-anchor="middle" dy="0.8em" fill="#333333">${escapeXml(t.label)}</text>`);
  }

  // Colour bar: a vertical gradient sampled from the same colormap, high values on top.
  const gid = `cb-${hashId(title + cmap + vmin + ',' + vmax + rows + 'x' + cols)}`;
  const stops = Array.from({ length: 11 }, (_, k) => `<stop offset="${k / 10}" stop-color="${rgbHex(colormap(cmap, 1 - k / 10))}"/>`);
  const cbx = right + 14;
  parts.push(`<defs><linearGradient id="${gid}" x1="0" y1="0" x2="0" y2="1">${stops.join('')}</linearGradient></defs>`);
  parts.push(`<rect x="${px(cbx)}" y="${px(top)}" width="14" height="${px(bottom - top)}" fill="url(#${gid})" stroke="#333333"/>`);
  const cb = linearScale([vmin, vmax], [bottom, top]);
  for (const t of cbTicks) {
    const yy = px(cb(t));
    parts.push(`<line x1="${px(cbx + 14)}" x2="${px(cbx + 18)}" y1="${yy}" y2="${yy}" stroke="#333333"/>`);
    parts.push(`<text x="${px(cbx + 21)}" y="${yy}" font-size="11" dy="0.35em" fill="#333333">${escapeXml(formatTick(t))}</text>`);
  }
  if (title) parts.push(`<text x="${px((left + right) / 2)}" y="24" font-size="15" font-weight="bold" text-anchor="middle" fill="#111111">${escapeXml(title)}</text>`);
  if (xLabel) parts.push(`<text x="${px((left + right) / 2)}" y="${px(height - 10)}" font-size="12" text-anchor="middle" fill="#333333">${escapeXml(xLabel)}</text>`);
  if (yLabel) {
    const cy = px((top + bottom) / 2);
    parts.push(`<text x="16" y="${cy}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${cy})" fill="#333333">${escapeXml(yLabel)}</text>`);
  }
  return svgDocument(width, height, parts.join(''), title || 'heatmap');
}

/** Input of {@link heatmapPng}. */
export interface HeatmapPngOptions extends HeatmapData {
  /** Output pixels per cell side (integer). Default 4. */
  scale?: number;
}

/**
 * The matrix as a bare PNG, one `scale` x `scale` block per cell, row 0 at the top;
 * no axes or text. Returns PNG file bytes.
 */
export function heatmapPng(opts: HeatmapPngOptions): Uint8Array {
  const scale = opts.scale ?? 4;
  assertInt('scale', scale, 1);
  const cmap = checkColormap(opts.colormap ?? 'viridis');
  const { data, rows, cols } = matrixOf(opts);
  const [vmin, vmax] = limits(opts, data, cmap);
  if (rows * cols * scale * scale > 64 * 1024 * 1024) {
    throw errors.invalidArgument('output size', 'at most 64M pixels (lower scale)', `${cols * scale} x ${rows * scale}`);
  }
  const canvas = createCanvas(cols * scale, rows * scale, [255, 255, 255]);
  blit(canvas, 0, 0, data, 0, cols, rows, scale, { channels: 1, colormap: cmap, min: vmin, max: vmax });
  return encodePng(canvas);
}
