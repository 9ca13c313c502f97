/**
 * Writing outputs to disk, creating the folder first (outputs usually go to a
 * fresh ./engram-out/). Node only: the main entry builds the bytes and strings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errors } from '@engram/core';
import { isPng } from '../internal/png.js';

/**
 * Writes PNG bytes (from {@link imageGridPng} and friends) to `path`, creating
 * missing parent folders.
 *
 * @throws EngramError INVALID_ARGUMENT when `png` is not PNG data (guards against
 *   writing an SVG string or an empty buffer under a .png name).
 */
export function writePng(path: string, png: Uint8Array): void {
  if (!(png instanceof Uint8Array) || !isPng(png)) {
    throw errors.invalidArgument('png', 'PNG file bytes (from imageGridPng, stepStripPng or heatmapPng)', typeof png);
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
