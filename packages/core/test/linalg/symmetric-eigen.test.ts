import { expect } from 'chai';
import { EngramError, ErrorCodes, linalg } from '../../src/index.js';
import { eigenResiduals, randomSymmetric } from './fixtures.js';

const solvers = { ql: linalg.symmetricEigen, jacobi: linalg.jacobiEigen } as const;

for (const [name, eigen] of Object.entries(solvers)) {
  describe(`linalg.${name === 'ql' ? 'symmetricEigen (Householder + QL)' : 'jacobiEigen'}`, () => {
    it('random symmetric matrices: A V = V diag(w) and V^T V = I to 1e-10, values ascending', () => {
      for (const n of [1, 2, 3, 7, 16, 40, 90]) {
        const a = randomSymmetric(n, 100 + n);
        const e = eigen(a, n);
        const r = eigenResiduals(a, n, e.values, e.vectors);
        expect(r.eig, `n=${n}`).to.be.below(1e-10);
        expect(r.orth, `n=${n}`).to.be.below(1e-10);
        for (let i = 1; i < n; i++) expect(e.values[i]!).to.be.at.least(e.values[i - 1]!);
        // trace is preserved
        let tr = 0;
        let sum = 0;
        for (let i = 0; i < n; i++) {
          tr += a[i * n + i]!;
          sum += e.values[i]!;
        }
        expect(sum).to.be.closeTo(tr, 1e-11 * n);
      }
    });

    it('known spectra: diagonal, 2x2, tridiagonal [-1 2 -1], a degenerate cycle Laplacian, a rank-2 projector', () => {
      expect(Array.from(eigen([3, 0, 0, 0, -1, 0, 0, 0, 2], 3).values)).to.deep.equal([-1, 2, 3]);
      const two = eigen([2, 1, 1, 2], 2);
      expect(two.values[0]).to.be.closeTo(1, 1e-14);
      expect(two.values[1]).to.be.closeTo(3, 1e-14);
      expect(Math.abs(two.vectors[0]!)).to.be.closeTo(Math.SQRT1_2, 1e-14);
      // [-1 2 -1] of size m: 2 - 2 cos(k pi / (m + 1)).
      const m = 12;
      const t = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        t[i * m + i] = 2;
        if (i + 1 < m) t[i * m + i + 1] = t[(i + 1) * m + i] = -1;
      }
      const tv = eigen(t, m).values;
      for (let k = 1; k <= m; k++) expect(tv[k - 1]!).to.be.closeTo(2 - 2 * Math.cos((k * Math.PI) / (m + 1)), 1e-13);
      // Cycle graph C_n: 2 - 2 cos(2 pi k / n), each non-extreme value twice.
      const n = 20;
      const c = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        c[i * n + i] = 2;
        c[i * n + ((i + 1) % n)] = c[((i + 1) % n) * n + i] = -1;
      }
      const ce = eigen(c, n);
      const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((2 * Math.PI * k) / n)).sort((x, y) => x - y);
      expected.forEach((v, i) => expect(ce.values[i]!).to.be.closeTo(v, 1e-12));
      expect(eigenResiduals(c, n, ce.values, ce.vectors).orth).to.be.below(1e-12);
      const p = [0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];
      const pe = eigen(p, 4).values;
      expect(Math.abs(pe[0]!) + Math.abs(pe[1]!)).to.be.below(1e-14);
      expect(pe[2]).to.be.closeTo(1, 1e-14);
      expect(pe[3]).to.be.closeTo(1, 1e-14);
    });

    it("order: 'descending' reverses values and their vector columns", () => {
      const a = randomSymmetric(9, 7);
      const up = eigen(a, 9);
      const down = eigen(a, 9, { order: 'descending' });
      for (let j = 0; j < 9; j++) {
        expect(down.values[j]).to.equal(up.values[8 - j]);
        for (let i = 0; i < 9; i++) expect(down.vectors[i * 9 + j]).to.equal(up.vectors[i * 9 + 8 - j]);
      }
      expect(() => eigen(a, 9, { order: 'sideways' as never })).to.throw(EngramError, /ascending/);
    });

    it('does not modify its input and accepts plain arrays and Float32Array', () => {
      const a = randomSymmetric(5, 3);
      const copy = Float64Array.from(a);
      eigen(a, 5);
      expect(Array.from(a)).to.deep.equal(Array.from(copy));
      const f32 = Float32Array.from(a);
      const e = eigen(f32, 5);
      expect(eigenResiduals(Float64Array.from(f32), 5, e.values, e.vectors).eig).to.be.below(1e-10);
    });

    it('rejects non-square, non-symmetric and non-finite input with coded errors', () => {
      const code = (f: () => unknown): string | undefined => {
        try {
          f();
        } catch (err) {
          return err instanceof EngramError ? err.code : 'not an EngramError';
        }
        return undefined;
      };
      expect(code(() => eigen([1, 2, 3], 2))).to.equal(ErrorCodes.SHAPE_MISMATCH);
      expect(code(() => eigen([1, NaN, NaN, 1], 2))).to.equal(ErrorCodes.NON_FINITE);
      expect(code(() => eigen([1, Infinity, Infinity, 1], 2))).to.equal(ErrorCodes.NON_FINITE);
      expect(code(() => eigen([1, 2], 0))).to.equal(ErrorCodes.INVALID_ARGUMENT);
      expect(() => eigen([1, 2, 3, 4], 2)).to.throw(EngramError, /symmetric/);
      // Within the tolerance the matrix is symmetrised, beyond it rejected.
      expect(() => eigen([1, 2, 2 + 1e-13, 4], 2)).not.to.throw();
      expect(() => eigen([1, 2, 2 + 1e-6, 4], 2)).to.throw(EngramError, /symmetric/);
      expect(() => eigen([1, 2, 2 + 1e-6, 4], 2, { symmetryTolerance: 1e-5 })).not.to.throw();
    });
  });
}

describe('linalg: QL and Jacobi agree', () => {
  it('same eigenvalues to 1e-10 and the same eigenvectors up to sign on a random matrix with a well-separated spectrum', () => {
    const n = 30;
    const a = randomSymmetric(n, 42);
    const ql = linalg.symmetricEigen(a, n);
    const jac = linalg.jacobiEigen(a, n);
    for (let j = 0; j < n; j++) {
      expect(ql.values[j]).to.be.closeTo(jac.values[j]!, 1e-10);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += ql.vectors[i * n + j]! * jac.vectors[i * n + j]!;
      expect(Math.abs(dot), `vector ${j}`).to.be.closeTo(1, 1e-8);
    }
    expect(ql.iterations).to.be.greaterThan(0);
    expect(jac.iterations).to.be.within(1, 100);
  });

  it('the zero matrix and 1x1 matrices', () => {
    for (const eigen of [linalg.symmetricEigen, linalg.jacobiEigen]) {
      const z = eigen(new Float64Array(9), 3);
      expect(Array.from(z.values)).to.deep.equal([0, 0, 0]);
      expect(eigenResiduals(new Float64Array(9), 3, z.values, z.vectors).orth).to.equal(0);
      const one = eigen([-4.5], 1);
      expect(one.values[0]).to.equal(-4.5);
      expect(Math.abs(one.vectors[0]!)).to.equal(1);
    }
  });
});
