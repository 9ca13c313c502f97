/**
 * @engram/viz: plots and images for engram, on plain numbers (no tfjs needed).
 * SVG line plots, bar charts and heatmaps; PNG image grids, step strips and
 * heatmaps (PNG bytes, encoded in plain TypeScript); a self-contained HTML
 * report. This entry imports no Node built-in, so it bundles for browsers;
 * writing files is in `@engram/viz/node`.
 *
 * @packageDocumentation
 */
export {
  type Scale,
  linearScale,
  logScale,
  niceStep,
  niceTicks,
  niceDomain,
  niceLogDomain,
  formatTick,
} from './scale.js';
export { type ColormapName, type Rgb, colormap, rgbHex } from './colormap.js';
export {
  type LineSeries,
  type LinePlotOptions,
  type EnergyPlotOptions,
  type LegendPosition,
  linePlotSvg,
  energyPlotSvg,
} from './line-plot.js';
export { type BarSeries, type BarChartOptions, barChartSvg } from './bar-chart.js';
export {
  type ValueRange,
  type ImageStyle,
  type ImageGridOptions,
  type StepStripOptions,
  imageGridPng,
  stepStripPng,
  frameIndices,
} from './image-grid.js';
export {
  type MatrixInput,
  type HeatmapData,
  type HeatmapSvgOptions,
  type HeatmapPngOptions,
  heatmapSvg,
  heatmapPng,
} from './heatmap.js';
export {
  type ReportImage,
  type ReportTable,
  type ReportSection,
  type HtmlReportOptions,
  htmlReport,
  escapeHtml,
} from './html-report.js';
export { pngDataUri } from './data-uri.js';
