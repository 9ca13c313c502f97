import { expect } from 'chai';
import { deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { ErrorCodes, EngramError } from '@engram/core';
import { heatmapPng, imageGridPng, pngDataUri } from '../src/index.js';
import { base64 } from '../src/internal/base64.js';
import { adler32, deflateRaw, zlibCompress } from '../src/internal/deflate.js';
import { crc32, encodeRgbPng } from '../src/internal/png.js';
import { thrown } from './helpers/xml.js';

/** A seeded byte generator (xorshift32), so every run checks the same inputs. */
function bytes(n: number, seed: number, alphabet = 256): Uint8Array {
  let s = seed >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % alphabet;
  });
}

describe('deflate and zlib (plain TypeScript)', () => {
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(7)],
    ['two bytes', Uint8Array.of(255, 0)],
    ['random bytes', bytes(5000, 1)],
    ['few symbols (short matches)', bytes(20000, 2, 3)],
    ['long run (matches of 258 at distance 1)', new Uint8Array(70000).fill(9)],
    ['repeats farther than the window', (() => {
      const block = bytes(40000, 3);
      const out = new Uint8Array(120000);
      out.set(block, 0);
      out.set(block, 40000);
      out.set(block, 80000);
      return out;
    })()],
    ['every length and distance code', (() => {
      const out: number[] = [];
      const src = bytes(300, 4);
      for (let len = 3; len <= 258; len += 7) for (const d of [1, 2, 5, 9, 33, 129, 1025, 24577]) {
        const start = Math.max(0, out.length - d);
        if (out.length < d) out.push(...bytes(d, len + d));
        for (let k = 0; k < len; k++) out.push(out[start + k] ?? (src[k] as number));
        out.push(...bytes(5, len * 31 + d));
      }
      return Uint8Array.from(out);
    })()],
  ];
  for (const [name, data] of cases) {
    it(`round-trips through Node's zlib: ${name}`, () => {
      expect(Buffer.from(inflateRawSync(deflateRaw(data))).equals(Buffer.from(data))).to.equal(true);
      expect(Buffer.from(inflateSync(zlibCompress(data))).equals(Buffer.from(data))).to.equal(true);
    });
  }

  it('compresses repetitive data (within 1.5x of zlib level 6 on an image-like input)', () => {
    const row = bytes(300, 5, 4);
    const data = new Uint8Array(300 * 400);
    for (let r = 0; r < 400; r++) data.set(r % 7 === 0 ? bytes(300, r) : row, r * 300);
    const ours = zlibCompress(data).length;
    const zlib = deflateSync(data).length;
    expect(ours).to.be.lessThan(1.5 * zlib);
    expect(new Uint8Array(100000).length / zlibCompress(new Uint8Array(100000)).length).to.be.greaterThan(100);
  });

  it('computes Adler-32 and CRC-32 as zlib does', () => {
    const data = bytes(100000, 6);
    // Node's zlib trailer is the Adler-32 of the input, big-endian.
    const z = deflateSync(data);
    expect(adler32(data)).to.equal(Buffer.from(z).readUInt32BE(z.length - 4));
    expect(adler32(new Uint8Array(0))).to.equal(1);
    // The standard check value of CRC-32 for '123456789'.
    expect(crc32(new TextEncoder().encode('123456789'))).to.equal(0xcbf43926);
  });
});

describe('PNG encoding', () => {
  it('decodes with pngjs to the exact pixels, for every filter the encoder may pick', () => {
    for (const [w, h, seed] of [[1, 1, 1], [3, 2, 2], [17, 9, 3], [64, 40, 4]] as const) {
      const rgb = bytes(w * h * 3, seed);
      // Mix smooth and noisy rows so different filters win on different rows.
      for (let i = 0; i < rgb.length / 2; i++) rgb[i] = (i * 7) & 0xff;
      const png = PNG.sync.read(Buffer.from(encodeRgbPng(w, h, rgb)));
      expect([png.width, png.height]).to.deep.equal([w, h]);
      for (let p = 0; p < w * h; p++) {
        expect([png.data[4 * p], png.data[4 * p + 1], png.data[4 * p + 2], png.data[4 * p + 3]]).to.deep.equal([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], 255]);
      }
    }
  });

  it('makes image grids and heatmaps that pngjs reads back', () => {
    const images = Array.from({ length: 12 }, (_, i) => Array.from({ length: 28 * 28 }, (_, k) => ((k * (i + 1)) % 97) / 96));
    const grid = PNG.sync.read(Buffer.from(imageGridPng({ images, imageWidth: 28, imageHeight: 28, range: [0, 1] })));
    expect(grid.width).to.equal(4 * 28 * 3 + 5 * 2);
    const heat = PNG.sync.read(Buffer.from(heatmapPng({ values: [[0, 1], [2, 3]], scale: 3 })));
    expect([heat.width, heat.height]).to.deep.equal([6, 6]);
  });
});

describe('pngDataUri and base64', () => {
  it('encodes as Buffer does, at every padding length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 12287, 12288, 12289, 40000]) {
      const b = bytes(n, n + 1);
      expect(base64(b)).to.equal(Buffer.from(b).toString('base64'));
    }
  });

  it('makes a data URI of PNG bytes and refuses anything else', () => {
    const png = imageGridPng({ images: [[0, 1, 1, 0]], imageWidth: 2, imageHeight: 2 });
    expect(pngDataUri(png)).to.equal(`data:image/png;base64,${Buffer.from(png).toString('base64')}`);
    const err = thrown(() => pngDataUri(new TextEncoder().encode('<svg/>')));
    expect(err).to.be.instanceOf(EngramError);
    expect((err as EngramError).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});
