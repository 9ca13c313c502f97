/**
 * Tiny SVG building helpers: escaping, compact number output, stable ids.
 */

/** Escapes text for XML content and attribute values (both quote kinds). */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A pixel coordinate with at most two decimals: enough for screens, keeps files small. */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * A short deterministic hash (FNV-1a, 32 bit) used to make element ids unique
 * per plot, so several SVGs inlined in one HTML page do not share clip-path ids,
 * while the same input still yields byte-identical output.
 */
export function hashId(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Wraps a body into a standalone SVG document with a white background. */
export function svgDocument(width: number, height: number, body: string, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    body +
    `</svg>`
  );
}

/** Approximate rendered width of a label, for margins (no font metrics in Node). */
export function textWidth(text: string, fontSize = 12): number {
  return text.length * fontSize * 0.62;
}
