/**
 * The plots of `engram clam`: Silhouette bars per data set and method, and
 * for the 2-D blobs the prototypes' trajectories over training and the energy
 * landscape with the data and the prototypes on it.
 */
import { barChartSvg, colormap, heatmapPng, linePlotSvg, pngDataUri, rgbHex } from '@engram/viz';
import type { BenchmarkRow } from './benchmark.js';
import type { Landscape } from './landscape.js';

/** Silhouette of every method on every data set, grouped bars. */
export function silhouetteBarsSvg(rows: readonly BenchmarkRow[]): string {
  const pick = (f: (r: BenchmarkRow) => number | undefined) => rows.map((r) => f(r) ?? 0);
  return barChartSvg({
    categories: rows.map((r) => r.name),
    series: [
      { name: 'ClAM', values: pick((r) => r.clam.silhouette) },
      { name: 'k-means++', values: pick((r) => r.kmeans.silhouette) },
      { name: 'soft k-means', values: pick((r) => r.softKmeans.silhouette) },
      { name: 'agglomerative', values: pick((r) => r.agglomerative?.silhouette) },
    ],
    title: 'Euclidean Silhouette on the standardised data (higher is better)',
    yLabel: 'Silhouette',
    width: 900,
    height: 420,
  });
}

/** Each prototype's path through the plane over the epochs (start marked by the first point). */
export function trajectoriesSvg(l: Landscape): string {
  const k = l.prototypes.length;
  const series = Array.from({ length: k }, (_, c) => ({
    name: `prototype ${c + 1}`,
    x: l.trajectory.map((p) => p[2 * c]!),
    y: l.trajectory.map((p) => p[2 * c + 1]!),
    markers: true,
  }));
  return linePlotSvg({ series, title: `ClAM prototypes during training (${l.trajectory.length - 1} epochs, 2-D blobs)`, xLabel: 'x1 (standardised)', yLabel: 'x2 (standardised)', xDomain: l.xRange, yDomain: l.yRange, width: 640, height: 560 });
}

/** The energy E(x) as a raster, with the data (coloured by ClAM's clusters), the trajectories and the final prototypes. */
export function landscapeSvg(l: Landscape): string {
  const size = 560;
  const margin = 30;
  const inner = size - 2 * margin;
  const png = heatmapPng({ values: Array.from(l.energy), rows: l.resolution, cols: l.resolution, colormap: 'viridis', scale: 4 });
  const sx = (v: number) => margin + ((v - l.xRange[0]) / (l.xRange[1] - l.xRange[0])) * inner;
  const sy = (v: number) => margin + ((l.yRange[1] - v) / (l.yRange[1] - l.yRange[0])) * inner;
  const k = l.prototypes.length;
  const color = (c: number) => rgbHex(colormap('diverging', k > 1 ? c / (k - 1) : 0.5));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 24}" viewBox="0 0 ${size} ${size + 24}" font-family="sans-serif">`,
    `<text x="${size / 2}" y="18" text-anchor="middle" font-size="13">ClAM energy landscape (beta ${l.beta}), data by cluster, prototype paths</text>`,
    `<image x="${margin}" y="${margin}" width="${inner}" height="${inner}" preserveAspectRatio="none" href="${pngDataUri(png)}"/>`,
  ];
  for (let i = 0; i < l.points.n; i++) {
    parts.push(`<circle cx="${sx(l.points.data[2 * i]!).toFixed(1)}" cy="${sy(l.points.data[2 * i + 1]!).toFixed(1)}" r="2" fill="${color(l.labels[i]!)}" stroke="white" stroke-width="0.4"/>`);
  }
  for (let c = 0; c < k; c++) {
    const pts = l.trajectory.map((p) => `${sx(p[2 * c]!).toFixed(1)},${sy(p[2 * c + 1]!).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="white" stroke-width="1.5"/>`);
    const [px, py] = l.prototypes[c]!;
    parts.push(`<circle cx="${sx(px!).toFixed(1)}" cy="${sy(py!).toFixed(1)}" r="6" fill="${color(c)}" stroke="black" stroke-width="1.5"/>`);
  }
  parts.push(`<text x="${size / 2}" y="${size + 14}" text-anchor="middle" font-size="11">Silhouette ${l.silhouette.toFixed(3)}, ARI ${l.ari.toFixed(3)} (dark = low energy)</text>`, '</svg>');
  return parts.join('\n');
}
