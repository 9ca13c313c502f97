/**
 * An RGB pixel canvas and its PNG encoding (plain TypeScript, see png.ts). All
 * PNG output of the package goes through here.
 */
import { type ColormapName, type Rgb, colormap } from '../colormap.js';
import { encodeRgbPng } from './png.js';

/** An RGB (3 bytes per pixel, row-major) image under construction. */
export interface Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A canvas filled with `background`. */
export function createCanvas(width: number, height: number, background: Rgb): Canvas {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    data[3 * i] = background[0];
    data[3 * i + 1] = background[1];
    data[3 * i + 2] = background[2];
  }
  return { width, height, data };
}

/** How to turn raw image values into colours. */
export interface PixelMapping {
  /** 1 (mapped through `colormap`) or 3 (RGB, each channel mapped linearly to 0..255). */
  readonly channels: 1 | 3;
  readonly colormap: ColormapName;
  readonly min: number;
  readonly max: number;
}

/**
 * Draws a `w` x `h` image (values in HWC order starting at `offset` of `src`) at
 * (`x0`, `y0`), each source pixel as a `scale` x `scale` block. Values are clamped to
 * [min, max] before mapping, so outliers saturate instead of wrapping around.
 */
export function blit(
  canvas: Canvas,
  x0: number,
  y0: number,
  src: ArrayLike<number>,
  offset: number,
  w: number,
  h: number,
  scale: number,
  map: PixelMapping,
): void {
  const span = map.max - map.min;
  const rgb: [number, number, number] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const base = offset + (y * w + x) * map.channels;
      if (map.channels === 1) {
        const c = colormap(map.colormap, ((src[base] as number) - map.min) / span);
        rgb[0] = c[0];
        rgb[1] = c[1];
        rgb[2] = c[2];
      } else {
        for (let k = 0; k < 3; k++) {
          const t = ((src[base + k] as number) - map.min) / span;
          rgb[k] = Math.round(Math.min(1, Math.max(0, t)) * 255);
        }
      }
      for (let dy = 0; dy < scale; dy++) {
        let p = ((y0 + y * scale + dy) * canvas.width + x0 + x * scale) * 3;
        for (let dx = 0; dx < scale; dx++, p += 3) {
          canvas.data[p] = rgb[0];
          canvas.data[p + 1] = rgb[1];
          canvas.data[p + 2] = rgb[2];
        }
      }
    }
  }
}

/** Encodes the canvas as an 8-bit RGB PNG file. */
export function encodePng(canvas: Canvas): Uint8Array {
  return encodeRgbPng(canvas.width, canvas.height, canvas.data);
}
