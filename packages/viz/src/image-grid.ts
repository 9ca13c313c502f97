/**
 * PNG image grids: stored patterns, recalled states, or one state across the
 * steps of a descent. Images are plain numbers (HWC order), so any package can
 * pass `tensor.dataSync()` without viz depending on tfjs.
 */
import { errors } from '@engram/core';
import { type ColormapName, type Rgb, autoRange, checkColormap, extentOf, rangeForExtent } from './colormap.js';
import { assertFinite, assertInt, checkRange } from './internal/validate.js';
import { type PixelMapping, blit, createCanvas, encodePng } from './internal/raster.js';

/**
 * How image values map to pixel brightness:
 * - `[min, max]`: fixed; values outside are clamped.
 * - `'auto'`: each image's own min..max (symmetric about 0 for the diverging colormap).
 * - `'global'`: the min..max over all images drawn, so images are comparable.
 */
export type ValueRange = readonly [number, number] | 'auto' | 'global';

/** Drawing options shared by {@link imageGridPng} and {@link stepStripPng}. */
export interface ImageStyle {
  /** 1 (gray or colormapped) or 3 (RGB, values in HWC order). Default 1. */
  channels?: 1 | 3;
  /** Integer upscaling: each source pixel becomes scale x scale output pixels. Default 3. */
  scale?: number;
  /** Output pixels between tiles and around the border. Default 2. */
  padding?: number;
  /** Value-to-brightness mapping, see {@link ValueRange}. */
  range?: ValueRange;
  /** Colormap for 1-channel images: 'gray' (default), 'viridis', or 'diverging' for signed data. */
  colormap?: ColormapName;
  /** Colour of the padding. Default white. */
  background?: Rgb;
}

/** Input of {@link imageGridPng}. */
export interface ImageGridOptions extends ImageStyle {
  /** One array per image, or one flat array holding `count` images back to back. */
  images: readonly ArrayLike<number>[] | Float32Array;
  /** Number of images in a flat `images` array (default: all that fit). Ignored for an array of images. */
  count?: number;
  imageWidth: number;
  imageHeight: number;
  /** Grid rows; default ceil(count / cols). */
  rows?: number;
  /** Grid columns; default ceil(count / rows), or ceil(sqrt(count)) when neither is given. */
  cols?: number;
  /** Default 'auto'. */
  range?: ValueRange;
}

// Guard against an accidental gigapixel allocation from a wrong scale or shape.
const MAX_PIXELS = 64 * 1024 * 1024;

/** Splits the input into (source, offset) views without copying. */
function imageViews(opts: ImageGridOptions, size: number): { src: ArrayLike<number>; offset: number }[] {
  const { images } = opts;
  if (images instanceof Float32Array) {
    if (images.length === 0 || images.length % size !== 0) {
      throw errors.shapeMismatch('images (flat array)', [`count * ${size}`], [images.length]);
    }
    const total = images.length / size;
    const count = opts.count ?? total;
    assertInt('count', count, 1);
    if (count > total) throw errors.invalidArgument('count', `at most ${total} (the images in the array)`, count);
    return Array.from({ length: count }, (_, i) => ({ src: images, offset: i * size }));
  }
  if (!Array.isArray(images) || images.length === 0) {
    throw errors.invalidArgument('images', 'a non-empty array of images or a Float32Array', images);
  }
  return images.map((img, i) => {
    if (img === null || typeof img !== 'object' || typeof img.length !== 'number') {
      throw errors.invalidArgument(`images[${i}]`, 'an array of pixel values', img);
    }
    if (img.length !== size) throw errors.shapeMismatch(`images[${i}]`, [size], [img.length]);
    return { src: img, offset: 0 };
  });
}

/** Grid shape for `n` tiles from the optional rows/cols. */
function gridShape(n: number, rows?: number, cols?: number): [number, number] {
  if (rows !== undefined) assertInt('rows', rows, 1);
  if (cols !== undefined) assertInt('cols', cols, 1);
  const c = cols ?? (rows !== undefined ? Math.ceil(n / rows) : Math.ceil(Math.sqrt(n)));
  const r = rows ?? Math.ceil(n / c);
  if (r * c < n) throw errors.invalidArgument('rows x cols', `at least ${n} cells for ${n} images`, `${r} x ${c}`);
  return [r, c];
}

/**
 * Draws images in a grid (row-major: image i at row floor(i / cols), column i % cols)
 * and returns the PNG file bytes. Values map to brightness per `range` and `colormap`,
 * clamped, so a known input gives known pixels: with range [0, 1] and the gray map a
 * value v becomes level round(255 v).
 *
 * @throws EngramError SHAPE_MISMATCH when an image's length is not width x height x channels;
 *   INVALID_ARGUMENT for empty input, bad sizes or options; NON_FINITE for NaN/Infinity pixels.
 */
export function imageGridPng(opts: ImageGridOptions): Uint8Array {
  const w = opts.imageWidth;
  const h = opts.imageHeight;
  assertInt('imageWidth', w, 1);
  assertInt('imageHeight', h, 1);
  const channels = opts.channels ?? 1;
  if (channels !== 1 && channels !== 3) throw errors.invalidArgument('channels', '1 or 3', channels);
  const scale = opts.scale ?? 3;
  assertInt('scale', scale, 1);
  const padding = opts.padding ?? 2;
  assertInt('padding', padding, 0);
  const cmap = checkColormap(opts.colormap ?? 'gray');
  if (channels === 3 && cmap !== 'gray') {
    throw errors.invalidArgument('colormap', "'gray' (the default) for 3-channel images, which are drawn as RGB", cmap);
  }
  const size = w * h * channels;
  const views = imageViews(opts, size);
  for (const [i, v] of views.entries()) {
    assertFinite(`images[${i}]`, v.src, v.offset, size);
  }
  const [rows, cols] = gridShape(views.length, opts.rows, opts.cols);
  const width = cols * w * scale + (cols + 1) * padding;
  const height = rows * h * scale + (rows + 1) * padding;
  if (width * height > MAX_PIXELS) {
    throw errors.invalidArgument('output size', `at most ${MAX_PIXELS} pixels (lower scale or split the grid)`, `${width} x ${height}`);
  }
  const range = opts.range ?? 'auto';
  let fixed: [number, number] | undefined;
  if (range === 'global') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of views) {
      const [a, b] = extentOf(v.src, v.offset, size);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    fixed = rangeForExtent(lo, hi, cmap);
  } else if (range !== 'auto') {
    fixed = checkRange('range', range);
  }
  const canvas = createCanvas(width, height, opts.background ?? [255, 255, 255]);
  views.forEach((v, i) => {
    const [min, max] = fixed ?? autoRange(v.src, cmap, v.offset, size);
    const map: PixelMapping = { channels, colormap: cmap, min, max };
    const x0 = padding + (i % cols) * (w * scale + padding);
    const y0 = padding + Math.floor(i / cols) * (h * scale + padding);
    blit(canvas, x0, y0, v.src, v.offset, w, h, scale, map);
  });
  return encodePng(canvas);
}

/**
 * `k` indices from 0 to `total - 1`, evenly spaced and always including the first
 * and last (all of them when `total <= k`). Tells which steps {@link stepStripPng} shows.
 */
export function frameIndices(total: number, k: number): number[] {
  assertInt('total', total, 1);
  assertInt('maxFrames', k, 1);
  if (total <= k) return Array.from({ length: total }, (_, i) => i);
  if (k === 1) return [total - 1];
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    const idx = Math.round((j * (total - 1)) / (k - 1));
    if (out[out.length - 1] !== idx) out.push(idx);
  }
  return out;
}

/** Options of {@link stepStripPng}. */
export interface StepStripOptions extends ImageStyle {
  /** Keep at most this many frames, evenly spaced by {@link frameIndices}. Default: all. */
  maxFrames?: number;
  /** Default 'global': one mapping for all frames, so brightness changes are real changes. */
  range?: ValueRange;
}

/**
 * One image across the steps of a dynamics run, left to right in a single row
 * (e.g. a corrupted pattern being completed). Returns PNG file bytes.
 */
export function stepStripPng(frames: readonly ArrayLike<number>[], width: number, height: number, opts: StepStripOptions = {}): Uint8Array {
  if (!Array.isArray(frames) || frames.length === 0) {
    throw errors.invalidArgument('frames', 'a non-empty array of images', frames);
  }
  const picked = opts.maxFrames === undefined ? frames : frameIndices(frames.length, opts.maxFrames).map((i) => frames[i] as ArrayLike<number>);
  const { maxFrames: _unused, ...style } = opts;
  return imageGridPng({
    ...style,
    range: opts.range ?? 'global',
    images: picked,
    imageWidth: width,
    imageHeight: height,
    rows: 1,
    cols: picked.length,
  });
}
