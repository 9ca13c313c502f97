/**
 * PNG file encoding (8-bit RGB, no interlacing) in plain TypeScript: works in
 * browsers and Node alike, so image grids can be drawn anywhere.
 */
import { zlibCompress } from './deflate.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

/** CRC-32 (ISO 3309, as PNG chunks use) of `data`, continuing from `crc`. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The Paeth predictor of PNG filter type 4. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Residuals of one row under PNG filter `f` (bpp bytes per pixel; `up` is the previous row or zeros). */
function applyFilter(f: number, cur: Uint8Array, up: Uint8Array, bpp: number, out: Uint8Array): void {
  const n = cur.length;
  // One loop per filter (no per-byte branching), the first pixel without a left neighbour.
  switch (f) {
    case 0:
      out.set(cur);
      return;
    case 1:
      for (let x = 0; x < bpp; x++) out[x] = cur[x] as number;
      for (let x = bpp; x < n; x++) out[x] = ((cur[x] as number) - (cur[x - bpp] as number)) & 0xff;
      return;
    case 2:
      for (let x = 0; x < n; x++) out[x] = ((cur[x] as number) - (up[x] as number)) & 0xff;
      return;
    case 3:
      for (let x = 0; x < bpp; x++) out[x] = ((cur[x] as number) - ((up[x] as number) >>> 1)) & 0xff;
      for (let x = bpp; x < n; x++) out[x] = ((cur[x] as number) - (((cur[x - bpp] as number) + (up[x] as number)) >>> 1)) & 0xff;
      return;
    default:
      for (let x = 0; x < bpp; x++) out[x] = ((cur[x] as number) - (up[x] as number)) & 0xff;
      for (let x = bpp; x < n; x++) out[x] = ((cur[x] as number) - paeth(cur[x - bpp] as number, up[x] as number, up[x - bpp] as number)) & 0xff;
  }
}

/** Sum of absolute signed residuals: the usual heuristic for which filter compresses best. */
function cost(line: Uint8Array): number {
  let c = 0;
  for (let x = 0; x < line.length; x++) {
    const r = line[x] as number;
    c += r < 128 ? r : 256 - r;
  }
  return c;
}

/**
 * The palette of an image with at most 256 colours (every gray image viz
 * draws, and most colormapped ones), or undefined when it has more. Indexed
 * PNGs of such images are a third of the data and compress far better.
 */
function paletteOf(rgb: Uint8Array): { colours: number[]; index: Uint8Array } | undefined {
  const slot = new Map<number, number>();
  const index = new Uint8Array(rgb.length / 3);
  const colours: number[] = [];
  for (let p = 0; p < index.length; p++) {
    const c = ((rgb[3 * p] as number) << 16) | ((rgb[3 * p + 1] as number) << 8) | (rgb[3 * p + 2] as number);
    let k = slot.get(c);
    if (k === undefined) {
      if (colours.length === 256) return undefined;
      k = colours.length;
      colours.push(c);
      slot.set(c, k);
    }
    index[p] = k;
  }
  return { colours, index };
}

/**
 * Scanlines with their filter bytes: unfiltered for indexed images (filters
 * predict intensities, not palette indices), else per row the filter with the
 * smallest residuals.
 */
function scanlines(pixels: Uint8Array, width: number, height: number, bpp: number, adaptive: boolean): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  const lines = Array.from({ length: 5 }, () => new Uint8Array(stride));
  let up: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const cur = pixels.subarray(y * stride, (y + 1) * stride);
    let best = 0;
    if (adaptive) {
      let bestCost = Infinity;
      for (let f = 0; f < 5; f++) {
        applyFilter(f, cur, up, bpp, lines[f] as Uint8Array);
        const c = cost(lines[f] as Uint8Array);
        if (c < bestCost) {
          bestCost = c;
          best = f;
        }
      }
    }
    out[y * (stride + 1)] = best;
    out.set(adaptive ? (lines[best] as Uint8Array) : cur, y * (stride + 1) + 1);
    up = cur;
  }
  return out;
}

/**
 * PNG file bytes of a `width` x `height` RGB image (3 bytes per pixel,
 * row-major): indexed colour when it has at most 256 colours, else truecolour.
 * Decodes to exactly the given pixels either way.
 */
export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const palette = paletteOf(rgb);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = palette ? 3 : 2; // colour type: indexed, or truecolour (RGB)
  // compression 0 (deflate), filter method 0, interlace 0: already zero
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', header)];
  if (palette) {
    const plte = new Uint8Array(3 * palette.colours.length);
    palette.colours.forEach((c, k) => plte.set([c >>> 16, (c >>> 8) & 0xff, c & 0xff], 3 * k));
    parts.push(chunk('PLTE', plte), chunk('IDAT', zlibCompress(scanlines(palette.index, width, height, 1, false))));
  } else {
    // Adaptive filtering wins on smooth images, none on synthetic ones (colormapped
    // noise repeats exact colours, which filtering hides): keep the smaller.
    const filtered = zlibCompress(scanlines(rgb, width, height, 3, true));
    const plain = zlibCompress(scanlines(rgb, width, height, 3, false));
    parts.push(chunk('IDAT', plain.length < filtered.length ? plain : filtered));
  }
  parts.push(chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
