/**
 * Colormaps mapping a number in [0, 1] to an RGB triple, shared by the PNG image
 * grids and the heatmaps so a value looks the same in both.
 */
import { errors } from '@engram/core';

/** The colormaps engram draws with. `diverging` is blue (low) - white (middle) - red (high), for signed data. */
export type ColormapName = 'gray' | 'viridis' | 'diverging';

/** An RGB colour with 0..255 channels. */
export type Rgb = readonly [number, number, number];

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

// matplotlib's viridis sampled at 0, 0.1, ..., 1 (linear interpolation between them is visually exact).
const VIRIDIS: readonly Rgb[] = [
  '#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c',
  '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725',
].map(hex);

// ColorBrewer RdBu (11 classes), reversed so negative values are blue.
const DIVERGING: readonly Rgb[] = [
  '#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7',
  '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f',
].map(hex);

function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i] as Rgb;
  const b = stops[i + 1] as Rgb;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/**
 * The colour of `t` (clamped to [0, 1]) under `name`. `gray` maps t to the level
 * round(255 t) exactly, so a known input gives known pixel values.
 */
export function colormap(name: ColormapName, t: number): Rgb {
  const u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  switch (name) {
    case 'gray': {
      const g = Math.round(u * 255);
      return [g, g, g];
    }
    case 'viridis':
      return interpolate(VIRIDIS, u);
    case 'diverging':
      return interpolate(DIVERGING, u);
    default:
      throw errors.invalidArgument('colormap', "'gray', 'viridis' or 'diverging'", name);
  }
}

/** `#rrggbb` form of a colour, for SVG fills. */
export function rgbHex(c: Rgb): string {
  return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** Throws unless `name` is a known colormap (checks user input before any drawing). */
export function checkColormap(name: unknown): ColormapName {
  if (name !== 'gray' && name !== 'viridis' && name !== 'diverging') {
    throw errors.invalidArgument('colormap', "'gray', 'viridis' or 'diverging'", name);
  }
  return name;
}

/** Min and max of `values[offset .. offset + length)`. */
export function extentOf(values: ArrayLike<number>, offset = 0, length = values.length - offset): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * The value range a colormap should span for data with extent [lo, hi] when the
 * caller gave none: the extent itself, made symmetric about zero for `diverging`
 * so white means 0. Flat data gets a unit-wide range so it maps to the middle
 * colour instead of dividing by zero.
 */
export function rangeForExtent(lo: number, hi: number, name: ColormapName): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (name === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return m > 0 ? [-m, m] : [-1, 1];
  }
  if (hi > lo) return [lo, hi];
  return [lo - 0.5, hi + 0.5];
}

/** {@link rangeForExtent} of the values' own extent. */
export function autoRange(values: ArrayLike<number>, name: ColormapName, offset = 0, length = values.length - offset): [number, number] {
  const [lo, hi] = extentOf(values, offset, length);
  return rangeForExtent(lo, hi, name);
}
