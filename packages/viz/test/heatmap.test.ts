import { expect } from 'chai';
import { PNG } from 'pngjs';
import { EngramError, ErrorCodes } from '@engram/core';
import { colormap, heatmapPng, heatmapSvg, rgbHex } from '../src/index.js';
import { attrs, checkWellFormed, elements, thrown, xTickLabels, yTickLabels } from './helpers/xml.js';

function code(fn: () => unknown): string {
  const err = thrown(fn);
  expect(err).to.be.instanceOf(EngramError);
  return (err as EngramError).code;
}

describe('colormap', () => {
  it('hits the viridis end points and the diverging centre', () => {
    expect(rgbHex(colormap('viridis', 0))).to.equal('#440154');
    expect(rgbHex(colormap('viridis', 1))).to.equal('#fde725');
    expect(rgbHex(colormap('viridis', 0.5))).to.equal('#21918c');
    expect(rgbHex(colormap('diverging', 0.5))).to.equal('#f7f7f7');
    expect(colormap('gray', 2)).to.deep.equal([255, 255, 255]);
    expect(colormap('gray', -1)).to.deep.equal([0, 0, 0]);
  });
});

describe('heatmapSvg', () => {
  it('draws one cell per entry, row 0 on top, coloured by value', () => {
    // 3 x 4 matrix with values 0..11 row-major.
    const values = Array.from({ length: 3 }, (_, r) => Array.from({ length: 4 }, (_, c) => r * 4 + c));
    const svg = heatmapSvg({ values, title: 'm', xLabel: 'pattern', yLabel: 'step' });
    checkWellFormed(svg);
    const cells = elements(svg, 'rect', 'cell');
    expect(cells).to.have.length(12);
    expect(cells[0]!['fill']).to.equal('#440154');
    expect(cells[11]!['fill']).to.equal('#fde725');
    expect(Number(cells[4]!['y'])).to.be.above(Number(cells[0]!['y']));
    expect(Number(cells[1]!['x'])).to.be.above(Number(cells[0]!['x']));
    expect(xTickLabels(svg).map((t) => t.text)).to.include.members(['0', '3']);
    expect(yTickLabels(svg).map((t) => t.text)).to.include.members(['0', '2']);
    // Colour bar ticks (left-aligned labels right of the bar) cover the value range 0..11.
    expect(svg).to.match(/<text x="[\d.]+" y="[\d.]+" font-size="11" dy="0.35em" fill="#333333">10<\/text>/);
  });

  it('accepts a flat row-major Float32Array with rows and cols', () => {
    const nested = heatmapSvg({ values: [[1, 2], [3, 4]] });
    const flat = heatmapSvg({ values: Float32Array.from([1, 2, 3, 4]), rows: 2, cols: 2 });
    expect(flat).to.equal(nested);
  });

  it('centres the diverging map on zero and clamps to vmin/vmax', () => {
    const svg = heatmapSvg({ values: [[-1, 0, 3]], colormap: 'diverging' });
    const fills = attrs(svg, 'rect', 'fill', 'cell');
    expect(fills[1]).to.equal('#f7f7f7');
    const clamped = attrs(heatmapSvg({ values: [[-5, 0.5, 5]], vmin: 0, vmax: 1 }), 'rect', 'fill', 'cell');
    expect(clamped).to.deep.equal(['#440154', '#21918c', '#fde725']);
  });

  it('embeds large matrices as one PNG image', () => {
    const n = 100;
    const values = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
    const svg = heatmapSvg({ values, rows: n, cols: n });
    checkWellFormed(svg);
    expect(elements(svg, 'rect', 'cell')).to.have.length(0);
    const href = attrs(svg, 'image', 'href')[0]!;
    expect(href.startsWith('data:image/png;base64,')).to.equal(true);
    const png = PNG.sync.read(Buffer.from(href.slice('data:image/png;base64,'.length), 'base64'));
    expect(png.width % n).to.equal(0);
    expect(png.height).to.equal(png.width);
  });

  it('refuses bad input with EngramError', () => {
    expect(code(() => heatmapSvg({ values: [[1, 2], [3]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => heatmapSvg({ values: new Float32Array(5), rows: 2, cols: 3 }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => heatmapSvg({ values: new Float32Array(6) }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => heatmapSvg({ values: [[1, NaN]] }))).to.equal(ErrorCodes.NON_FINITE);
    expect(code(() => heatmapSvg({ values: [[1, 2]], vmin: 2, vmax: 1 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => heatmapSvg({ values: [[1, 2]], xTickLabels: ['a'] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => heatmapSvg({ values: [[1, 2]], colormap: 'jet' as 'viridis' }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('heatmapPng', () => {
  it('draws scale x scale blocks per cell with the colormap', () => {
    const buf = heatmapPng({ values: [[0, 1], [1, 0]], scale: 2, colormap: 'gray' });
    const png = PNG.sync.read(Buffer.from(buf));
    expect([png.width, png.height]).to.deep.equal([4, 4]);
    const g = (x: number, y: number) => png.data[(y * 4 + x) * 4]!;
    expect([g(0, 0), g(1, 1), g(2, 0), g(3, 1), g(0, 2), g(2, 2)]).to.deep.equal([0, 0, 255, 255, 255, 0]);
    const v = PNG.sync.read(Buffer.from(heatmapPng({ values: [[0, 1]], scale: 1 })));
    expect([...v.data.subarray(0, 3)]).to.deep.equal([0x44, 0x01, 0x54]);
  });
});
