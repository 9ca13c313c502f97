import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { EngramError, seededRandom } from '@engram/core';
import { encodeIdx } from '../src/index.js';
import { decodeIdx } from '../src/node/index.js';

/**
 * A seeded fuzz of IDX files as the loaders read them (a required dtype):
 * 500 mutated raw and gzipped files — truncations, bit flips in header, data
 * and gzip stream, huge declared shapes, wrong dtypes, trailing bytes, gzip
 * bombs. Each must be rejected with an EngramError or decode to exactly the
 * original; the one exception, reported as its own count, is a changed data
 * byte of a raw file, which IDX (no checksum) cannot detect.
 */
describe('fuzz: 500 mutated IDX / gzip files', function () {
  this.timeout(120000);

  it('rejects corrupted files with an EngramError, never crashes, hangs or inflates without bound', () => {
    const rand = seededRandom(7);
    const shape = [12, 28, 28];
    const values = new Uint8Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => (i * 37) % 256);
    const raw = encodeIdx({ dtype: 'uint8', shape, data: values });
    const gz = new Uint8Array(gzipSync(raw));
    const headerBytes = 4 + 4 * shape.length;
    // Gzip bombs: valid headers claiming 16-20 MiB of zeros that follow (compressed once, reused).
    const bombs = [2 ** 24, 2 ** 24 + 2 ** 20 + 3].map((n) => {
      const all = new Uint8Array(8 + n);
      all.set([0, 0, 0x08, 1, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
      return new Uint8Array(gzipSync(all));
    });
    const counts = { tried: 0, rejected: 0, intact: 0, rawDataByteChanged: 0, other: 0 };
    const problems: string[] = [];
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    for (let i = 0; i < 500; i++) {
      const base = i % 2 === 0 ? raw : gz;
      let bytes = Uint8Array.from(base);
      let dataOnly = false;
      const op = Math.floor(rand() * 6);
      if (op === 0) bytes = bytes.slice(0, Math.floor(rand() * bytes.length));
      else if (op === 1 || op === 2) {
        const bit = Math.floor(rand() * bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        dataOnly = base === raw && bit >> 3 >= headerBytes;
      } else if (op === 3) {
        // huge or inconsistent declared shape (raw header), possibly gzipped
        const h = Uint8Array.from(raw);
        const dv = new DataView(h.buffer);
        dv.setUint32(4 + 4 * Math.floor(rand() * 3), Math.floor(rand() * 2 ** 32), false);
        bytes = base === raw ? h : new Uint8Array(gzipSync(h));
      } else if (op === 4) {
        const tail = new Uint8Array(1 + Math.floor(rand() * 64)).fill(7);
        const joined = new Uint8Array(raw.length + tail.length);
        joined.set(raw);
        joined.set(tail, raw.length);
        bytes = base === raw ? joined : new Uint8Array(gzipSync(joined));
      } else {
        bytes = bombs[Math.floor(rand() * bombs.length)]!;
      }
      counts.tried++;
      try {
        const out = decodeIdx(bytes, { dtype: 'uint8', source: `case ${i}`, maxBytes: 2 ** 22 });
        const same = out.shape.length === shape.length && out.shape.every((d, k) => d === shape[k]) && out.data.every((v, k) => v === values[k]);
        if (same) counts.intact++;
        else if (dataOnly && out.shape.every((d, k) => d === shape[k])) counts.rawDataByteChanged++;
        else {
          counts.other++;
          problems.push(`case ${i} (op ${op}): accepted with different content`);
        }
      } catch (err) {
        if (err instanceof EngramError) counts.rejected++;
        else {
          counts.other++;
          problems.push(`case ${i} (op ${op}): ${String(err)}`);
        }
      }
    }
    console.log(`      fuzz IDX files: ${JSON.stringify(counts)} in ${Date.now() - t0} ms, rss +${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)} MiB`);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(counts.rejected).to.be.greaterThan(300);
    expect(process.memoryUsage().rss - rss0).to.be.lessThan(200 * 2 ** 20);
  });
});
