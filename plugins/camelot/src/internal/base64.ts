/** Base64 (RFC 4648, padded) of bytes and back, without Node's Buffer, so saved memories work in browsers too. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** The base64 text of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 3 * 4096) {
    const end = Math.min(bytes.length, start + 3 * 4096);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const n = ((bytes[i] as number) << 16) | ((i + 1 < end ? (bytes[i + 1] as number) : 0) << 8) | (i + 2 < end ? (bytes[i + 2] as number) : 0);
      s += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + (i + 1 < end ? ALPHABET[(n >>> 6) & 63]! : '=') + (i + 2 < end ? ALPHABET[n & 63]! : '=');
    }
    parts.push(s);
  }
  return parts.join('');
}

/** The bytes of base64 text, or undefined when it is not padded base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const last = i + 4 === text.length;
      if (last && c === 61 /* '=' */ && k >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = c < 128 ? (VALUE[c] as number) : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
