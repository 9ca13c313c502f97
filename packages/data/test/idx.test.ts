import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCodes } from '@engram/core';
import { encodeIdx, isGzip, parseIdx, decodeIdxAsync, type IdxArray } from '../src/index.js';
import { decodeIdx, encodeIdxGzip, readIdx, writeIdx } from '../src/node/index.js';
import { expectCode } from './helpers.js';

/** A hand-built IDX file, independent of encodeIdx: header bytes then big-endian values. */
function handBuilt(typeByte: number, dims: number[], body: number[]): Uint8Array {
  const header = [0, 0, typeByte, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...body]);
}

const samples: IdxArray[] = [
  { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([0, 1, 127, 128, 200, 255]) },
  { dtype: 'int8', shape: [4], data: Int8Array.from([-128, -1, 0, 127]) },
  { dtype: 'int16', shape: [2, 2], data: Int16Array.from([-32768, -2, 258, 32767]) },
  { dtype: 'int32', shape: [3], data: Int32Array.from([-2147483648, 16909060, 2147483647]) },
  { dtype: 'float32', shape: [1, 2, 2], data: Float32Array.from([-1.5, 0, 3.25, 1e-8]) },
  { dtype: 'float64', shape: [3], data: Float64Array.from([Math.PI, -1e300, 5e-324]) },
];

describe('IDX reader and writer', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'engram-idx-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const sample of samples) {
    for (const gzip of [false, true]) {
      it(`round-trips ${sample.dtype} ${gzip ? 'gzipped' : 'raw'} through bytes and files`, () => {
        const bytes = gzip ? encodeIdxGzip(sample) : encodeIdx(sample);
        expect(isGzip(bytes)).to.equal(gzip);
        const back = decodeIdx(bytes);
        expect(back.dtype).to.equal(sample.dtype);
        expect(back.shape).to.deep.equal(sample.shape);
        expect(back.data.constructor).to.equal(sample.data.constructor);
        expect(Array.from(back.data)).to.deep.equal(Array.from(sample.data));
        const path = join(dir, `${sample.dtype}-${gzip}.idx`);
        writeIdx(path, sample, { gzip });
        expect(Array.from(readIdx(path).data)).to.deep.equal(Array.from(sample.data));
      });
    }
  }

  it('reads hand-built big-endian files of every dtype byte', () => {
    expect(Array.from(readIdx(handBuilt(0x08, [2], [7, 250])).data)).to.deep.equal([7, 250]);
    expect(Array.from(readIdx(handBuilt(0x09, [2], [0xff, 0x05])).data)).to.deep.equal([-1, 5]);
    expect(Array.from(readIdx(handBuilt(0x0b, [2], [0x01, 0x02, 0xff, 0xfe])).data)).to.deep.equal([258, -2]);
    expect(Array.from(readIdx(handBuilt(0x0c, [1], [0x01, 0x02, 0x03, 0x04])).data)).to.deep.equal([16909060]);
    expect(Array.from(readIdx(handBuilt(0x0d, [1], [0x3f, 0xc0, 0, 0])).data)).to.deep.equal([1.5]);
    expect(Array.from(readIdx(handBuilt(0x0e, [1], [0xc0, 0, 0, 0, 0, 0, 0, 0])).data)).to.deep.equal([-2]);
    const m = readIdx(handBuilt(0x08, [1, 2, 3], [1, 2, 3, 4, 5, 6]));
    expect(m.shape).to.deep.equal([1, 2, 3]);
  });

  it('writes the exact bytes of the format', () => {
    const bytes = encodeIdx({ dtype: 'int16', shape: [2], data: Int16Array.from([258, -2]) });
    expect(Array.from(bytes)).to.deep.equal(Array.from(handBuilt(0x0b, [2], [0x01, 0x02, 0xff, 0xfe])));
  });

  it('detects gzip from content, not the file name, and reads a view with a byte offset', () => {
    const path = join(dir, 'looks-raw.idx');
    writeFileSync(path, gzipSync(handBuilt(0x08, [3], [1, 2, 3])));
    expect(Array.from(readIdx(path).data)).to.deep.equal([1, 2, 3]);
    const padded = new Uint8Array(64);
    const file = handBuilt(0x0c, [2], [0, 0, 0, 9, 0xff, 0xff, 0xff, 0xff]);
    padded.set(file, 13);
    expect(Array.from(readIdx(padded.subarray(13, 13 + file.length)).data)).to.deep.equal([9, -1]);
  });

  it('narrows to a required dtype and rejects another one', () => {
    const labels = readIdx(handBuilt(0x08, [2], [3, 4]), { dtype: 'uint8' });
    expect(labels.data).to.be.instanceOf(Uint8Array);
    expectCode(() => readIdx(handBuilt(0x0d, [1], [0, 0, 0, 0]), { dtype: 'uint8', source: 'labels.idx' }), ErrorCodes.CORRUPT_DATA, 'labels.idx', 'float32', 'uint8');
  });

  describe('corrupt and truncated input gives CORRUPT_DATA naming the source and the problem', () => {
    const good = handBuilt(0x08, [2, 2], [1, 2, 3, 4]);
    const cases: [string, Uint8Array, string][] = [
      ['empty file', new Uint8Array(0), 'shorter than the 4-byte'],
      ['bad magic', Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), 'magic'],
      ['unknown dtype byte', handBuilt(0x0a, [1], [0]), 'dtype byte 0x0a'],
      ['header cut in the dims', good.subarray(0, 9), 'header truncated'],
      ['data cut short', good.subarray(0, good.length - 1), 'data truncated'],
      ['trailing garbage', Uint8Array.from([...good, 9, 9]), 'trailing bytes'],
      ['huge claimed shape', handBuilt(0x0e, [0xffffffff, 0xffffffff], []), 'data truncated'],
      ['truncated gzip stream', gzipSync(good).subarray(0, 15), 'gzip'],
      ['corrupt gzip body', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]), 'gzip'],
    ];
    for (const [name, bytes, fragment] of cases) {
      it(name, () => {
        expectCode(() => decodeIdx(bytes, { source: 'fixture.idx' }), ErrorCodes.CORRUPT_DATA, 'fixture.idx', fragment);
      });
    }

    it('names the file path when reading a damaged file', () => {
      const path = join(dir, 'cut.idx.gz');
      writeFileSync(path, gzipSync(good.subarray(0, 7)));
      expectCode(() => readIdx(path), ErrorCodes.CORRUPT_DATA, path, 'header truncated');
    });
  });

  it('a missing file gives DATA_NOT_FOUND with the path', () => {
    const path = join(dir, 'nope.idx');
    expectCode(() => readIdx(path), ErrorCodes.DATA_NOT_FOUND, path, 'ENOENT');
  });

  it('rejects bad writer input', () => {
    expectCode(() => encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(2) }), ErrorCodes.SHAPE_MISMATCH);
    expectCode(() => encodeIdx({ dtype: 'uint8', shape: [1.5], data: new Uint8Array(1) }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => encodeIdxGzip(samples[0]!, { level: 12 }), ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('IDX files from hostile sources', () => {
  it('refuses a FIFO, a symlink to /dev/zero and a gzip bomb, quickly and without a memory peak', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, rmSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { gzipSync } = await import('node:zlib');
    const { readIdx } = await import('../src/node/index.js');
    const { ErrorCodes, isEngramError } = await import('@engram/core');
    const dir = mkdtempSync(join(tmpdir(), 'engram-idx-'));
    try {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const t0 = Date.now();
      expect(() => readIdx(fifo)).to.throw(/not a regular file/);
      symlinkSync('/dev/zero', join(dir, 'zero'));
      expect(() => readIdx(join(dir, 'zero'))).to.throw(/kernel pseudo file/);
      expect(Date.now() - t0).to.be.lessThan(2000);
      // 64 MiB of zeros after a valid header claiming that many bytes: compresses to ~64 KB.
      const header = new Uint8Array([0, 0, 0x08, 1, 0x04, 0, 0, 0]);
      const bomb = gzipSync(Buffer.concat([Buffer.from(header), Buffer.alloc(64 * 2 ** 20)]));
      writeFileSync(join(dir, 'bomb.gz'), bomb);
      const rss = process.memoryUsage().rss;
      let err: unknown;
      try {
        readIdx(join(dir, 'bomb.gz'), { maxBytes: 2 ** 20 });
      } catch (e) {
        err = e;
      }
      expect(isEngramError(err, ErrorCodes.CORRUPT_DATA), String(err)).to.equal(true);
      expect(String(err)).to.match(/decompresses to more than 1048576 bytes/);
      expect(process.memoryUsage().rss - rss).to.be.lessThan(200 * 2 ** 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('IDX anywhere (browser-safe entry)', () => {
  it('parseIdx reads raw bytes and asks for decodeIdxAsync on gzipped ones; decodeIdxAsync takes both, bounded', async () => {
    const a: IdxArray = { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(Array.from(parseIdx(encodeIdx(a)).data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(encodeIdxGzip(a))).to.throw(/gzipped: decode them with decodeIdxAsync/);
    const viaStream = await decodeIdxAsync(encodeIdxGzip(a), { dtype: 'uint8' });
    expect(viaStream.shape).to.deep.equal([2, 3]);
    expect(Array.from(viaStream.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    const big: IdxArray = { dtype: 'uint8', shape: [4096], data: new Uint8Array(4096) };
    const err = await decodeIdxAsync(encodeIdxGzip(big), { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(String(err)).to.match(/decompresses to more than 1000 bytes/);
    const bad = await decodeIdxAsync(Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3])).catch((e: unknown) => e);
    expect(String(bad)).to.match(/CORRUPT_DATA.*gzip stream cannot be decompressed/);
  });
});
