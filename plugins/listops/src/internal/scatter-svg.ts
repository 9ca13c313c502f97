/**
 * A labelled scatter plot as SVG (viz has line plots but no labelled points):
 * the PCA plot of the ten digit embeddings, each point written as its digit,
 * even digits and odd digits in two colours.
 */
import { escapeHtml, formatTick, linearScale, niceDomain, niceTicks } from '@engram/viz';

/** One labelled point. */
export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  color: string;
}

/** Options of {@link labelledScatterSvg}. */
export interface ScatterOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/** The SVG text of a labelled scatter plot. */
export function labelledScatterSvg(points: readonly ScatterPoint[], o: ScatterOptions): string {
  const W = o.width ?? 360;
  const H = o.height ?? 320;
  const m = { left: 52, right: 16, top: 34, bottom: 44 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const pad = (lo: number, hi: number): [number, number] => (hi - lo < 1e-9 ? [lo - 1, hi + 1] : [lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo)]);
  const [x0, x1] = niceDomain(...pad(Math.min(...xs), Math.max(...xs)));
  const [y0, y1] = niceDomain(...pad(Math.min(...ys), Math.max(...ys)));
  const sx = linearScale([x0, x1], [m.left, W - m.right]);
  const sy = linearScale([y0, y1], [H - m.bottom, m.top]);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeHtml(o.title)}</text>`,
    `<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#999"/>`,
  ];
  for (const t of niceTicks(x0, x1, 5)) parts.push(`<text x="${sx(t).toFixed(1)}" y="${H - m.bottom + 14}" text-anchor="middle">${formatTick(t)}</text>`);
  for (const t of niceTicks(y0, y1, 5)) parts.push(`<text x="${m.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${formatTick(t)}</text>`);
  parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${H / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`);
  for (const p of points) {
    const cx = sx(p.x).toFixed(1);
    const cy = sy(p.y).toFixed(1);
    parts.push(`<circle cx="${cx}" cy="${cy}" r="9" fill="${p.color}" fill-opacity="0.25" stroke="${p.color}"/>`);
    parts.push(`<text x="${cx}" y="${(sy(p.y) + 4).toFixed(1)}" text-anchor="middle" font-weight="bold" fill="${p.color}">${escapeHtml(p.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
