/**
 * Writing outputs to disk, creating the folder first (outputs usually go to a
 * fresh ./engram-out/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errors } from '@engram/core';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Writes PNG bytes (from {@link imageGridPng} and friends) to `path`, creating
 * missing parent folders.
 *
 * @throws EngramError INVALID_ARGUMENT when `png` is not PNG data (guards against
 *   writing an SVG string or an empty buffer under a .png name).
 */
export function writePng(path: string, png: Uint8Array): void {
  if (!(png instanceof Uint8Array) || png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) {
    throw errors.invalidArgument('png', 'PNG file bytes (a Buffer from imageGridPng, stepStripPng or heatmapPng)', typeof png);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
}

/** Writes text (SVG, HTML) to `path` as UTF-8, creating missing parent folders. */
export function writeText(path: string, text: string): void {
  if (typeof text !== 'string') throw errors.invalidArgument('text', 'a string', typeof text);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, 'utf8');
}

/** A `data:image/png;base64,...` URI, to embed a PNG in HTML or SVG so the file stands alone. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
