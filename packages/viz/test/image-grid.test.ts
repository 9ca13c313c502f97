import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { EngramError, ErrorCodes } from '@engram/core';
import { colormap, frameIndices, imageGridPng, stepStripPng } from '../src/index.js';
import { writePng } from '../src/node/index.js';
import { thrown } from './helpers/xml.js';

/** Decodes a PNG and returns a pixel reader. */
function decode(buf: Uint8Array) {
  const png = PNG.sync.read(Buffer.from(buf));
  const at = (x: number, y: number): [number, number, number, number] => {
    const i = (y * png.width + x) * 4;
    return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
  };
  return { width: png.width, height: png.height, at, gray: (x: number, y: number) => at(x, y)[0] };
}

function code(fn: () => unknown): string {
  const err = thrown(fn);
  expect(err).to.be.instanceOf(EngramError);
  return (err as EngramError).code;
}

describe('imageGridPng', () => {
  it('maps a known 2x2 image to exact gray levels at scale 1', () => {
    const img = Float32Array.from([0, 1 / 3, 2 / 3, 1]);
    const png = decode(imageGridPng({ images: [img], imageWidth: 2, imageHeight: 2, scale: 1, padding: 0, range: [0, 1] }));
    expect([png.width, png.height]).to.deep.equal([2, 2]);
    expect([png.gray(0, 0), png.gray(1, 0), png.gray(0, 1), png.gray(1, 1)]).to.deep.equal([0, 85, 170, 255]);
    expect(png.at(1, 0)).to.deep.equal([85, 85, 85, 255]);
  });

  it('clamps values outside the range', () => {
    const img = [-5, 0.5, 2, 1];
    const png = decode(imageGridPng({ images: [img], imageWidth: 2, imageHeight: 2, scale: 1, padding: 0, range: [0, 1] }));
    expect([png.gray(0, 0), png.gray(1, 0), png.gray(0, 1), png.gray(1, 1)]).to.deep.equal([0, 128, 255, 255]);
  });

  it('upscales each pixel to a scale x scale block', () => {
    const png = decode(imageGridPng({ images: [[0, 1]], imageWidth: 2, imageHeight: 1, scale: 3, padding: 0, range: [0, 1] }));
    expect([png.width, png.height]).to.deep.equal([6, 3]);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 6; x++) expect(png.gray(x, y)).to.equal(x < 3 ? 0 : 255);
    }
  });

  it('lays images out row-major with padding between and around tiles', () => {
    // Five 1x1 images of distinct levels in a 2 x 3 grid, scale 2, padding 1, black background.
    const levels = [0.2, 0.4, 0.6, 0.8, 1.0];
    const png = decode(
      imageGridPng({
        images: levels.map((v) => [v]),
        imageWidth: 1,
        imageHeight: 1,
        cols: 3,
        scale: 2,
        padding: 1,
        range: [0, 1],
        background: [0, 0, 0],
      }),
    );
    expect([png.width, png.height]).to.deep.equal([3 * 2 + 4, 2 * 2 + 3]);
    levels.forEach((v, i) => {
      const x0 = 1 + (i % 3) * 3;
      const y0 = 1 + Math.floor(i / 3) * 3;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        expect(png.gray(x0 + dx, y0 + dy), `image ${i}`).to.equal(Math.round(v * 255));
      }
    });
    // Padding and the empty sixth cell keep the background.
    expect(png.gray(0, 0)).to.equal(0);
    expect(png.gray(3, 1)).to.equal(0);
    expect(png.gray(7, 4)).to.equal(0);
  });

  it("maps per image with 'auto' and over all images with 'global'", () => {
    const a = [0, 1];
    const b = [0, 4];
    const auto = decode(imageGridPng({ images: [a, b], imageWidth: 2, imageHeight: 1, scale: 1, padding: 0, cols: 2 }));
    expect([auto.gray(0, 0), auto.gray(1, 0), auto.gray(2, 0), auto.gray(3, 0)]).to.deep.equal([0, 255, 0, 255]);
    const global = decode(imageGridPng({ images: [a, b], imageWidth: 2, imageHeight: 1, scale: 1, padding: 0, cols: 2, range: 'global' }));
    expect([global.gray(0, 0), global.gray(1, 0), global.gray(2, 0), global.gray(3, 0)]).to.deep.equal([0, 64, 0, 255]);
  });

  it('reads a flat Float32Array holding several images', () => {
    const flat = Float32Array.from([0, 0, 1, 1, 0.5, 0.5]);
    const png = decode(imageGridPng({ images: flat, count: 2, imageWidth: 2, imageHeight: 1, scale: 1, padding: 0, cols: 1, range: [0, 1] }));
    expect([png.width, png.height]).to.deep.equal([2, 2]);
    expect([png.gray(0, 0), png.gray(0, 1)]).to.deep.equal([0, 255]);
  });

  it('draws signed data with a diverging map: 0 white-ish, negative blue, positive red', () => {
    const png = decode(imageGridPng({ images: [[-1, 0, 1]], imageWidth: 3, imageHeight: 1, scale: 1, padding: 0, colormap: 'diverging' }));
    const [neg, zero, pos] = [png.at(0, 0), png.at(1, 0), png.at(2, 0)];
    expect(zero.slice(0, 3)).to.deep.equal([...colormap('diverging', 0.5)]);
    expect(zero[0]).to.be.above(240);
    expect(neg[2]).to.be.above(neg[0]);
    expect(pos[0]).to.be.above(pos[2]);
  });

  it('draws RGB images from HWC data', () => {
    const rgb = [1, 0, 0, 0, 1, 0];
    const png = decode(imageGridPng({ images: [rgb], imageWidth: 2, imageHeight: 1, channels: 3, scale: 1, padding: 0, range: [0, 1] }));
    expect(png.at(0, 0)).to.deep.equal([255, 0, 0, 255]);
    expect(png.at(1, 0)).to.deep.equal([0, 255, 0, 255]);
  });

  it('refuses bad input with EngramError', () => {
    const base = { imageWidth: 2, imageHeight: 2 };
    expect(code(() => imageGridPng({ ...base, images: [[0, 0, 0, 0], [0, 0, 0]] }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => imageGridPng({ ...base, images: new Float32Array(6) }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => imageGridPng({ ...base, images: [] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => imageGridPng({ ...base, images: [[0, NaN, 0, 0]] }))).to.equal(ErrorCodes.NON_FINITE);
    expect(code(() => imageGridPng({ ...base, images: [[0, 0, 0, 0]], scale: 1.5 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => imageGridPng({ ...base, images: [[0, 0, 0, 0], [0, 0, 0, 0]], rows: 1, cols: 1 }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => imageGridPng({ ...base, images: [[0, 0, 0, 0]], range: [1, 0] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => imageGridPng({ ...base, images: [new Array(12).fill(0)], channels: 3, colormap: 'viridis' }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('stepStripPng and frameIndices', () => {
  it('picks evenly spaced frames including the first and last', () => {
    expect(frameIndices(5, 10)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(frameIndices(101, 5)).to.deep.equal([0, 25, 50, 75, 100]);
    expect(frameIndices(10, 1)).to.deep.equal([9]);
  });

  it('puts frames in one row with one mapping for all', () => {
    const frames = [0, 1, 2, 3].map((k) => Float32Array.from([k, k]));
    const png = decode(stepStripPng(frames, 2, 1, { scale: 1, padding: 0 }));
    expect([png.width, png.height]).to.deep.equal([8, 1]);
    expect([0, 2, 4, 6].map((x) => png.gray(x, 0))).to.deep.equal([0, 85, 170, 255]);
    const picked = decode(stepStripPng(frames, 2, 1, { scale: 1, padding: 0, maxFrames: 2 }));
    expect([picked.width, picked.gray(0, 0), picked.gray(2, 0)]).to.deep.equal([4, 0, 255]);
    expect(code(() => stepStripPng([], 2, 1))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('writePng', () => {
  it('writes PNG bytes, creating folders, and refuses non-PNG data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engram-viz-'));
    try {
      const buf = imageGridPng({ images: [[0, 1, 1, 0]], imageWidth: 2, imageHeight: 2 });
      const path = join(dir, 'a', 'b', 'grid.png');
      writePng(path, buf);
      expect(readFileSync(path).equals(buf)).to.equal(true);
      expect(code(() => writePng(join(dir, 'x.png'), Buffer.from('<svg/>')))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
