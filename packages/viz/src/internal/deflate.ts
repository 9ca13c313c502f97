/**
 * A small zlib (RFC 1950) / DEFLATE (RFC 1951) compressor in plain TypeScript,
 * so PNG encoding needs no Node built-in (zlib) and runs in browsers too.
 *
 * One block with the fixed Huffman codes and greedy LZ77 matching over a
 * 32 KiB window. That gives up a little ratio against zlib's dynamic codes,
 * but the images viz draws (upscaled cells, repeated rows, flat padding) are
 * dominated by long matches, which fixed codes encode as well as any.
 */

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** How many earlier positions with the same 3-byte hash are tried per match. */
const MAX_CHAIN = 32;
const HASH_BITS = 15;
const HASH_SIZE = 1 << HASH_BITS;

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** Length -> index into LENGTH_BASE, and distance -> index into DIST_BASE, precomputed once. */
const LENGTH_CODE = new Uint8Array(MAX_MATCH + 1);
const DIST_CODE = new Uint8Array(WINDOW + 1);
for (let c = 0; c < LENGTH_BASE.length; c++) {
  const end = c + 1 < LENGTH_BASE.length ? (LENGTH_BASE[c + 1] as number) : MAX_MATCH + 1;
  for (let l = LENGTH_BASE[c] as number; l < end; l++) LENGTH_CODE[l] = c;
}
LENGTH_CODE[MAX_MATCH] = 28;
for (let c = 0; c < DIST_BASE.length; c++) {
  const end = c + 1 < DIST_BASE.length ? (DIST_BASE[c + 1] as number) : WINDOW + 1;
  for (let d = DIST_BASE[c] as number; d < end; d++) DIST_CODE[d] = c;
}

/** Reverses the low `n` bits of `code` (Huffman codes are sent most significant bit first). */
function reverseBits(code: number, n: number): number {
  let r = 0;
  for (let i = 0; i < n; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

/** The fixed literal/length code (RFC 1951 3.2.6), bit-reversed for LSB-first output, and its lengths. */
const FIXED_CODE = new Uint16Array(288);
const FIXED_LEN = new Uint8Array(288);
for (let s = 0; s < 288; s++) {
  const [code, len] = s < 144 ? [0x30 + s, 8] : s < 256 ? [0x190 + s - 144, 9] : s < 280 ? [s - 256, 7] : [0xc0 + s - 280, 8];
  FIXED_CODE[s] = reverseBits(code, len);
  FIXED_LEN[s] = len;
}
const FIXED_DIST = Uint8Array.from({ length: 30 }, (_, d) => reverseBits(d, 5));

/** Appends bits least significant first to a growing byte array. */
class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private bits = 0;
  private count = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }

  /** Writes the low `n` (at most 16) bits of `value`. */
  write(value: number, n: number): void {
    this.bits |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.byte(this.bits & 0xff);
      this.bits >>>= 8;
      this.count -= 8;
    }
  }

  finish(): Uint8Array {
    if (this.count > 0) this.write(0, 8 - this.count);
    return this.buf.slice(0, this.pos);
  }

  private byte(b: number): void {
    if (this.pos === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.pos++] = b;
  }
}

/** Adler-32 checksum of `data` (the zlib trailer). */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the largest run for which b cannot overflow 2^32 before the modulo.
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i] as number;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function writeLiteral(out: BitWriter, byte: number): void {
  out.write(FIXED_CODE[byte] as number, FIXED_LEN[byte] as number);
}

function writeMatch(out: BitWriter, length: number, distance: number): void {
  const lc = LENGTH_CODE[length] as number;
  out.write(FIXED_CODE[257 + lc] as number, FIXED_LEN[257 + lc] as number);
  if ((LENGTH_EXTRA[lc] as number) > 0) out.write(length - (LENGTH_BASE[lc] as number), LENGTH_EXTRA[lc] as number);
  const dc = DIST_CODE[distance] as number;
  out.write(FIXED_DIST[dc] as number, 5);
  if ((DIST_EXTRA[dc] as number) > 0) out.write(distance - (DIST_BASE[dc] as number), DIST_EXTRA[dc] as number);
}

/** Raw DEFLATE stream of `data` (one final block with fixed codes). */
export function deflateRaw(data: Uint8Array): Uint8Array {
  const n = data.length;
  const out = new BitWriter(Math.ceil(n / 4) + 16);
  out.write(1, 1); // BFINAL: this is the only block
  out.write(1, 2); // BTYPE 01: fixed Huffman codes
  const head = new Int32Array(HASH_SIZE).fill(-1);
  const prev = new Int32Array(WINDOW);
  const hashAt = (i: number): number =>
    ((((data[i] as number) << 10) ^ ((data[i + 1] as number) << 5) ^ (data[i + 2] as number)) * 2654435761) >>> (32 - HASH_BITS);
  const insert = (i: number): void => {
    const h = hashAt(i);
    prev[i & (WINDOW - 1)] = head[h] as number;
    head[h] = i;
  };
  let i = 0;
  while (i < n) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + MIN_MATCH <= n) {
      const maxLen = Math.min(MAX_MATCH, n - i);
      let cand = head[hashAt(i)] as number;
      for (let chain = 0; cand >= 0 && i - cand <= WINDOW && chain < MAX_CHAIN; chain++) {
        // Cheap reject: a longer match must agree at the current best length.
        if (data[cand + bestLen] === data[i + bestLen]) {
          let len = 0;
          while (len < maxLen && data[cand + len] === data[i + len]) len++;
          if (len > bestLen) {
            bestLen = len;
            bestDist = i - cand;
            if (len === maxLen) break;
          }
        }
        const next = prev[cand & (WINDOW - 1)] as number;
        if (next >= cand) break; // slot overwritten by a newer position: the chain ends here
        cand = next;
      }
    }
    if (bestLen >= MIN_MATCH) {
      writeMatch(out, bestLen, bestDist);
      const end = i + bestLen;
      for (; i < end; i++) if (i + MIN_MATCH <= n) insert(i);
    } else {
      writeLiteral(out, data[i] as number);
      if (i + MIN_MATCH <= n) insert(i);
      i++;
    }
  }
  writeLiteral(out, 256); // end of block
  return out.finish();
}

/** A zlib stream (header, DEFLATE data, Adler-32), as PNG's IDAT expects. */
export function zlibCompress(data: Uint8Array): Uint8Array {
  const raw = deflateRaw(data);
  const out = new Uint8Array(raw.length + 6);
  // CMF 0x78: deflate with a 32 KiB window; FLG 0x01 makes the header a multiple of 31 (fastest level).
  out[0] = 0x78;
  out[1] = 0x01;
  out.set(raw, 2);
  const sum = adler32(data);
  out[raw.length + 2] = sum >>> 24;
  out[raw.length + 3] = (sum >>> 16) & 0xff;
  out[raw.length + 4] = (sum >>> 8) & 0xff;
  out[raw.length + 5] = sum & 0xff;
  return out;
}
