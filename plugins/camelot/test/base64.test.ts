import { expect } from 'chai';
import { seededRandom } from '@engram/core';
import { fromBase64, toBase64 } from '../src/internal/base64.js';

describe('base64 without Buffer (saved memories in any platform)', () => {
  it('encodes as Buffer does and decodes back, at every padding length', () => {
    const rand = seededRandom(3);
    for (const n of [0, 1, 2, 3, 4, 5, 6, 100, 12287, 12288, 12289, 50001]) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
      const text = toBase64(bytes);
      expect(text).to.equal(Buffer.from(bytes).toString('base64'));
      expect(Array.from(fromBase64(text)!)).to.deep.equal(Array.from(bytes));
    }
  });

  it('refuses text that is not padded base64', () => {
    for (const bad of ['A', 'AB', 'ABC', 'AB=C', 'A===', '@@@@', 'AAAA AAA', 'AA==AAAA', 'é123']) expect(fromBase64(bad), bad).to.equal(undefined);
  });
});
