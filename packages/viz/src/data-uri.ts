/** Embedding images in HTML and SVG, so a report stands alone as one file. */
import { errors } from '@engram/core';
import { base64 } from './internal/base64.js';
import { isPng } from './internal/png.js';

/**
 * A `data:image/png;base64,...` URI, to embed a PNG in HTML or SVG so the file
 * stands alone (or to show it in a browser as an `<img>` source).
 *
 * @throws EngramError INVALID_ARGUMENT when `png` is not PNG data.
 */
export function pngDataUri(png: Uint8Array): string {
  if (!(png instanceof Uint8Array) || !isPng(png)) {
    throw errors.invalidArgument('png', 'PNG file bytes (from imageGridPng, stepStripPng or heatmapPng)', typeof png);
  }
  return `data:image/png;base64,${base64(png)}`;
}
