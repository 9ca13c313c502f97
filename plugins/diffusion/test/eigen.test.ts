import { expect } from 'chai';
import { EngramError } from '@engram/core';
import { createRng } from '@engram/data';
import { symmetricEigen } from '../src/index.js';

describe('symmetricEigen (core Householder + QL, descending, vectors as rows)', () => {
  it('reconstructs random symmetric matrices, with orthonormal vectors and sorted values', () => {
    const rng = createRng(4);
    for (const d of [1, 2, 5, 32]) {
      const b = Array.from({ length: d * d }, () => rng.normal());
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = b[i * d + j]! + b[j * d + i]!;
      const { values, vectors } = symmetricEigen(a, d);
      for (let r = 1; r < d; r++) expect(values[r]!).to.be.at.most(values[r - 1]!);
      let err = 0;
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          let o = 0;
          for (let r = 0; r < d; r++) {
            s += values[r]! * vectors[r * d + i]! * vectors[r * d + j]!;
            o += vectors[i * d + r]! * vectors[j * d + r]!;
          }
          err = Math.max(err, Math.abs(s - a[i * d + j]!), Math.abs(o - (i === j ? 1 : 0)));
        }
      }
      expect(err, `d = ${d}`).to.be.below(1e-10);
    }
  });

  it('finds known spectra: diagonal, repeated and a 2x2 rotation', () => {
    expect(Array.from(symmetricEigen([3, 0, 0, 0, -1, 0, 0, 0, 2], 3).values)).to.deep.equal([3, 2, -1]);
    const rep = symmetricEigen([2, 1, 1, 2], 2);
    expect(rep.values[0]).to.be.closeTo(3, 1e-14);
    expect(rep.values[1]).to.be.closeTo(1, 1e-14);
    expect(Math.abs(rep.vectors[0]!)).to.be.closeTo(Math.SQRT1_2, 1e-14);
    // A rank-2 projector in R^4 (eigenvalues 1, 1, 0, 0).
    const p = [0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    const e = symmetricEigen(p, 4).values;
    expect(e[0]).to.be.closeTo(1, 1e-14);
    expect(e[1]).to.be.closeTo(1, 1e-14);
    expect(Math.abs(e[2]!) + Math.abs(e[3]!)).to.be.below(1e-14);
  });

  it('rejects non-symmetric, non-finite and mis-sized input', () => {
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).to.throw(EngramError, /symmetric/);
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).to.throw(EngramError);
    expect(() => symmetricEigen([1, 2, 3], 2)).to.throw(EngramError);
  });
});
