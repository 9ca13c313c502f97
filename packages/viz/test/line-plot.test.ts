import { expect } from 'chai';
import { EngramError, ErrorCodes } from '@engram/core';
import { barChartSvg, energyPlotSvg, linePlotSvg, logScale } from '../src/index.js';
import { attrs, checkWellFormed, polylines, texts, thrown, xTickLabels, yTickLabels } from './helpers/xml.js';

function code(fn: () => unknown): string {
  const err = thrown(fn);
  expect(err).to.be.instanceOf(EngramError);
  return (err as EngramError).code;
}

describe('linePlotSvg', () => {
  it('emits well-formed SVG with one polyline point per data point', () => {
    const svg = linePlotSvg({
      title: 'two lines',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { name: 'a', y: [3, 1, 4, 1, 5, 9, 2, 6] },
        { name: 'b', x: [0, 2, 4], y: [1, 2, 3], dashed: true },
      ],
    });
    const { tags } = checkWellFormed(svg);
    expect(tags.get('svg')).to.equal(1);
    expect(tags.get('polyline')).to.equal(2);
    const lines = polylines(svg);
    expect(lines.map((l) => l.length)).to.deep.equal([8, 3]);
    expect(attrs(svg, 'polyline', 'stroke-dasharray')).to.deep.equal(['6 4']);
    // Markers default on for short series: one circle per point (+ 2 legend markers).
    expect(tags.get('circle')).to.equal(8 + 3 + 2);
  });

  it('puts points where the axis ticks say they are (linear)', () => {
    const svg = linePlotSvg({ series: [{ name: 'y=2x', x: [0, 5, 10], y: [0, 10, 20] }], width: 500, height: 300 });
    const [line] = polylines(svg) as [[number, number][]];
    const xTick = (label: string) => xTickLabels(svg).find((t) => t.text === label)?.x;
    const yTick = (label: string) => yTickLabels(svg).find((t) => t.text === label)?.y;
    expect(line[0]![0]).to.be.closeTo(xTick('0')!, 0.01);
    expect(line[2]![0]).to.be.closeTo(xTick('10')!, 0.01);
    expect(line[0]![1]).to.be.closeTo(yTick('0')!, 0.01);
    expect(line[2]![1]).to.be.closeTo(yTick('20')!, 0.01);
    // Collinear data stays collinear.
    expect(line[1]![1] - line[0]![1]).to.be.closeTo(line[2]![1] - line[1]![1], 0.02);
  });

  it('draws log-log axes with decade ticks at equal spacing', () => {
    const N = [10, 100, 1000, 10000];
    const svg = linePlotSvg({ series: [{ name: 'cap', x: N, y: N.map((n) => 0.14 * n) }], logX: true, logY: true, width: 600, height: 400 });
    checkWellFormed(svg);
    const xs = xTickLabels(svg);
    // 10..10000 spans four decades: labelled 10 with superscripts 1..4 (flattened to "101".."104").
    expect(xs.map((t) => t.text)).to.deep.equal(['101', '102', '103', '104']);
    const gaps = xs.slice(1).map((t, i) => t.x - xs[i]!.x);
    for (const g of gaps) expect(g).to.be.closeTo(gaps[0]!, 0.05);
    // y = 0.14 x is a straight line of slope 1 on log-log axes with equal decade lengths.
    const [line] = polylines(svg) as [[number, number][]];
    const slope = (i: number) => (line[i + 1]![1] - line[i]![1]) / (line[i + 1]![0] - line[i]![0]);
    expect(slope(0)).to.be.closeTo(slope(1), 1e-3);
    expect(slope(1)).to.be.closeTo(slope(2), 1e-3);
    // Same transform the exported scale computes.
    const s = logScale([10, 100], [0, 1]);
    expect(s(Math.sqrt(1000))).to.be.closeTo(0.5, 1e-12);
  });

  it('writes wide log ranges as powers of ten with superscripts', () => {
    const svg = linePlotSvg({ series: [{ name: 'err', x: [1, 10, 100], y: [1e-6, 1e-4, 1e-2] }], logX: true, logY: true });
    checkWellFormed(svg);
    expect(svg).to.match(/>10<tspan dy="-0.6em" font-size="8">-6<\/tspan>/);
  });

  it('supports categorical x labels at equal spacing', () => {
    const cats = ['after task 1', 'after task 2', 'after task 3'];
    const svg = linePlotSvg({
      xCategories: cats,
      yDomain: [0, 1],
      series: [
        { name: 'SDM', y: [0.9, 0.88, 0.87] },
        { name: 'MLP', y: [0.95, 0.5] },
      ],
    });
    checkWellFormed(svg);
    const labels = texts(svg).filter((t) => cats.includes(t.text));
    expect(labels.map((t) => t.text)).to.deep.equal(cats);
    const [sdm, mlp] = polylines(svg) as [[number, number][], [number, number][]];
    expect(sdm.map((p) => p[0])).to.deep.equal(labels.map((t) => t.x));
    expect(mlp).to.have.length(2);
    expect(code(() => linePlotSvg({ xCategories: ['a'], series: [{ name: 's', y: [1, 2] }] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
  });

  it('escapes names and titles', () => {
    const svg = linePlotSvg({ title: 'a < b & c', series: [{ name: '<script>x</script>', y: [1, 2] }, { name: 'q"uote', y: [2, 1] }] });
    checkWellFormed(svg);
    expect(svg).to.not.include('<script>');
    expect(svg).to.include('&lt;script&gt;');
    expect(svg).to.include('a &lt; b &amp; c');
  });

  it('is deterministic and gives each plot its own clip id', () => {
    const a = linePlotSvg({ series: [{ name: 'a', y: [1, 2, 3] }] });
    const b = linePlotSvg({ series: [{ name: 'a', y: [1, 2, 3] }] });
    const c = linePlotSvg({ series: [{ name: 'a', y: [3, 2, 1] }] });
    expect(a).to.equal(b);
    expect(attrs(a, 'clipPath', 'id')[0]).to.not.equal(attrs(c, 'clipPath', 'id')[0]);
  });

  it('keeps the legend off the data', () => {
    // A descending line fills top-left and bottom-right: the legend goes top-right.
    const down = Array.from({ length: 50 }, (_, t) => 10 * Math.exp(-t / 5));
    const svg = linePlotSvg({ series: [{ name: 'a', y: down }, { name: 'b', y: down.map((v) => v * 0.9) }], width: 600 });
    const box = /<g class="legend"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    const [bx, by, bw, bh] = box.slice(1).map(Number) as [number, number, number, number];
    expect(bx).to.be.above(300);
    for (const line of polylines(svg)) {
      for (const [x, y] of line) expect(x >= bx && x <= bx + bw && y >= by && y <= by + bh).to.equal(false);
    }
  });

  it('refuses bad input with EngramError', () => {
    expect(code(() => linePlotSvg({ series: [] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => linePlotSvg({ series: [{ name: 'e', y: [] }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => linePlotSvg({ series: [{ name: 'm', x: [1, 2], y: [1, 2, 3] }] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => linePlotSvg({ series: [{ name: 'n', y: [1, NaN, 3] }] }))).to.equal(ErrorCodes.NON_FINITE);
    expect(code(() => linePlotSvg({ logY: true, series: [{ name: 'inf', y: [1, Infinity] }] }))).to.equal(ErrorCodes.NON_FINITE);
    expect(code(() => linePlotSvg({ logX: true, series: [{ name: 'z', x: [0, 1], y: [1, 2] }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => linePlotSvg({ logY: true, series: [{ name: 'neg', y: [1, -2] }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => linePlotSvg({ yDomain: [1, 0], series: [{ name: 'd', y: [1] }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('energyPlotSvg', () => {
  it('plots one or several energy traces against step', () => {
    const e = [5, 3, 2, 1.5, 1.2, 1.1];
    const one = energyPlotSvg(e);
    checkWellFormed(one);
    expect(polylines(one)).to.have.length(1);
    expect(polylines(one)[0]).to.have.length(6);
    expect(texts(one).map((t) => t.text)).to.include.members(['Energy descent', 'step', 'energy']);
    const two = energyPlotSvg({ 'dt=0.1': Float32Array.from(e), 'dt=0.2': e.slice(0, 3) }, { title: 'E', steps: undefined });
    expect(polylines(two).map((l) => l.length)).to.deep.equal([6, 3]);
    const sub = energyPlotSvg(e.slice(0, 3), { steps: [0, 10, 20] });
    expect(xTickLabels(sub).map((t) => t.text)).to.include('20');
    expect(code(() => energyPlotSvg([1, NaN]))).to.equal(ErrorCodes.NON_FINITE);
  });
});

describe('barChartSvg', () => {
  it('draws one bar per series and category from the zero line', () => {
    const svg = barChartSvg({
      categories: ['T1', 'T2', 'T3'],
      series: [
        { name: 'SDM', values: [0.9, 0.8, 1] },
        { name: 'MLP', values: [0.1, 0.4, 1] },
      ],
      yDomain: [0, 1],
    });
    checkWellFormed(svg);
    const heights = attrs(svg, 'rect', 'height', 'bar').map(Number);
    expect(heights).to.have.length(6);
    // Heights are proportional to the values.
    expect(heights[0]! / heights[2]!).to.be.closeTo(0.9, 1e-3);
    expect(heights[3]! / heights[5]!).to.be.closeTo(0.1, 1e-3);
    // Full-height bars fill every corner, so the legend moves outside the plot.
    const legendX = Number(/<g class="legend"><rect x="([\d.]+)"/.exec(svg)![1]);
    const barRight = Math.max(...attrs(svg, 'rect', 'x', 'bar').map(Number));
    expect(legendX).to.be.above(barRight);
    expect(code(() => barChartSvg({ categories: ['a', 'b'], series: [{ name: 's', values: [1] }] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => barChartSvg({ categories: [], series: [{ name: 's', values: [] }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});
