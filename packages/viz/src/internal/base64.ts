/** Base64 (RFC 4648, with padding) of bytes, without Node's Buffer or the browser's btoa. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Chunks keep each join small; one string per 3-byte group would be slow on megabyte images.
  for (let start = 0; start < bytes.length; start += 3 * 4096) {
    const end = Math.min(bytes.length, start + 3 * 4096);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i] as number;
      const b = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const c = i + 2 < end ? (bytes[i + 2] as number) : 0;
      const n = (a << 16) | (b << 8) | c;
      s += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + (i + 1 < end ? ALPHABET[(n >>> 6) & 63]! : '=') + (i + 2 < end ? ALPHABET[n & 63]! : '=');
    }
    parts.push(s);
  }
  return parts.join('');
}
