// The addon on its own (no tfjs): plain ArrayBuffers stand in for the wasm heap.
// Skipped, with the reason, where the addon is not built or OpenBLAS is missing.
import { expect } from 'chai';
import { openNative } from '../index.js';

const r = openNative();
/** The instruction sets the vectorised kernels run on here (none listed when the addon is not usable). */
const ISAS = r.ok ? r.binding.getIsa().supported : [];

function fill(f, seed) {
  let s = seed;
  for (let i = 0; i < f.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    f[i] = s / 2147483648 - 0.5;
  }
}

/** C = op(A) op(B) on the host, float64, row-major with leading dimensions. */
function ref(a, b, ta, tb, m, n, k, lda, ldb) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (ta ? a[q * lda + i] : a[i * lda + q]) * (tb ? b[j * ldb + q] : b[q * ldb + j]);
      c[i * n + j] = s;
    }
  return c;
}

describe('@engram/native addon', function () {
  before(function () {
    if (!r.ok) {
      process.stdout.write(`      (skipped: ${r.message})\n`);
      this.skip();
    }
  });

  it('opens OpenBLAS and reports its kernels and threads', () => {
    expect(r.blas.corename).to.be.a('string').and.not.equal('');
    expect(r.blas.threads).to.be.at.least(1);
    expect(r.cpus).to.be.at.least(1);
  });

  // [1, n] and [m, 1] results take cblas_sgemv (one row or one column), the rest sgemm.
  for (const [m, n, k] of [[37, 29, 41], [1, 29, 41], [37, 1, 41], [1, 1, 41], [1, 700, 600]])
  it(`sgemm matches a host reference for every transpose, with padded leading dimensions (m n k = ${m} ${n} ${k})`, () => {
    const b = r.binding;
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const lda = (ta ? m : k) + 3;
        const ldb = (tb ? k : n) + 5;
        const ldc = n + 2;
        const heap = new ArrayBuffer(4 * (64 + (ta ? k : m) * lda + (tb ? n : k) * ldb + m * ldc));
        const aOff = 64 * 4;
        const bOff = aOff + 4 * (ta ? k : m) * lda;
        const cOff = bOff + 4 * (tb ? n : k) * ldb;
        const A = new Float32Array(heap, aOff, (ta ? k : m) * lda);
        const B = new Float32Array(heap, bOff, (tb ? n : k) * ldb);
        const C = new Float32Array(heap, cOff, m * ldc);
        fill(A, 1);
        fill(B, 2);
        const want = ref(A, B, ta, tb, m, n, k, lda, ldb);
        const what = `ta ${ta} tb ${tb}`;
        // beta 0 over NaN (the output is not read), then alpha 2 and beta 0.5 over that result; the padding stays.
        C.fill(NaN);
        b.sgemm(heap, ta, tb, m, n, k, 1, aOff, lda, bOff, ldb, 0, cOff, ldc, 2);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(Math.abs(C[i * ldc + j] - want[i * n + j]), what).to.be.lessThan(1e-4);
        b.sgemm(heap, ta, tb, m, n, k, 2, aOff, lda, bOff, ldb, 0.5, cOff, ldc, 1);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) expect(Math.abs(C[i * ldc + j] - 2.5 * want[i * n + j]), `${what} alpha beta`).to.be.lessThan(2e-4);
          expect(Number.isNaN(C[i * ldc + n]), `${what} padding`).to.equal(true);
        }
      }
  });

  it('sgemmBatch runs one product per offset triple over several lanes and restores the BLAS thread count', () => {
    const b = r.binding;
    b.setBlasThreads(2);
    const [m, n, k, count] = [16, 12, 20, 9];
    const heap = new ArrayBuffer(4 * count * (m * k + k * n + m * n));
    const f = new Float32Array(heap);
    fill(f, 3);
    const offsets = new Float64Array(3 * count);
    for (let p = 0; p < count; p++) {
      offsets[3 * p] = 4 * p * m * k;
      offsets[3 * p + 1] = 4 * (count * m * k + p * k * n);
      offsets[3 * p + 2] = 4 * (count * (m * k + k * n) + p * m * n);
    }
    b.sgemmBatch(heap, false, false, m, n, k, 1, offsets, k, n, 0, n, 2);
    for (let p = 0; p < count; p++) {
      const A = new Float32Array(heap, offsets[3 * p], m * k);
      const B = new Float32Array(heap, offsets[3 * p + 1], k * n);
      const C = new Float32Array(heap, offsets[3 * p + 2], m * n);
      const want = ref(A, B, false, false, m, n, k, k, n);
      for (let i = 0; i < m * n; i++) expect(Math.abs(C[i] - want[i])).to.be.lessThan(1e-4);
    }
    expect(b.getBlasThreads()).to.equal(2);
  });

  it('refuses ranges outside the buffer, misaligned offsets and bad arguments (errors, never a wild write)', () => {
    const b = r.binding;
    const heap = new ArrayBuffer(4 * 100);
    expect(() => b.sgemm(heap, false, false, 10, 10, 10, 1, 0, 10, 0, 10, 0, 4 * 10, 10, 1)).to.throw(RangeError, /outside the heap/);
    expect(() => b.sgemm(heap, false, false, 2, 2, 2, 1, 2, 2, 0, 2, 0, 64, 2, 1)).to.throw(RangeError, /aligned/);
    expect(() => b.sgemm(heap, false, false, 2, 2, 2, 1, 0, 1, 0, 2, 0, 64, 2, 1)).to.throw(RangeError, /leading dimension/);
    expect(() => b.unary(0, new Float32Array(4), 0, 0, 4)).to.throw(TypeError, /ArrayBuffer/);
    expect(() => b.unary(7, heap, 0, 0, 4)).to.throw(RangeError, /op/);
    expect(() => b.softmax(heap, 0, 0, 11, 10)).to.throw(RangeError, /outside/);
  });

  // The layout kernels (layout.cc) use no vectorised kernel: once, not per instruction set.
  it('transposeRuns moves whole last-axis runs like a host transpose, one lane and several, and refuses bad permutations', () => {
    const b = r.binding;
    for (const [shape, perm] of [[[2, 3, 4], [1, 0, 2]], [[32, 49, 4, 32], [0, 2, 1, 3]], [[3, 5, 7, 2, 6], [3, 0, 2, 1, 4]], [[9], [0]]]) {
      const n = shape.reduce((p, q) => p * q, 1);
      const heap = new ArrayBuffer(8 * n);
      const x = new Float32Array(heap, 0, n);
      fill(x, n);
      const y = new Float32Array(heap, 4 * n, n);
      const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));
      const outShape = perm.map((p) => shape[p]);
      for (const lanes of [1, 2]) {
        b.setLanes(lanes);
        y.fill(NaN);
        b.transposeRuns(heap, 0, 4 * n, Float64Array.from(shape), Float64Array.from(perm));
        for (let o = 0; o < n; o++) {
          let rest = o, src = 0;
          for (let j = outShape.length - 1; j >= 0; j--) {
            src += (rest % outShape[j]) * strides[perm[j]];
            rest = Math.floor(rest / outShape[j]);
          }
          if (y[o] !== x[src]) expect.fail(`[${shape}] perm [${perm}] lanes ${lanes}: y[${o}] = ${y[o]}, want x[${src}] = ${x[src]}`);
        }
      }
      b.setLanes(r.blas.threads);
    }
    const heap = new ArrayBuffer(4 * 48);
    expect(() => b.transposeRuns(heap, 0, 96, Float64Array.from([2, 3, 4]), Float64Array.from([0, 2, 1]))).to.throw(RangeError, /last axis/);
    expect(() => b.transposeRuns(heap, 0, 96, Float64Array.from([2, 3, 4]), Float64Array.from([0, 0, 2]))).to.throw(RangeError, /permutation/);
    expect(() => b.transposeRuns(heap, 0, 100, Float64Array.from([2, 3, 4]), Float64Array.from([1, 0, 2]))).to.throw(RangeError);
  });

  it('reduceCols (sum, max, min, mean) matches host loops, one lane and several, with NaN propagating in max and min', () => {
    const b = r.binding;
    for (const [rows, cols] of [[1, 5], [7, 3], [1568, 128], [600, 1000]]) {
      const n = rows * cols;
      const heap = new ArrayBuffer(4 * (n + cols));
      const x = new Float32Array(heap, 0, n);
      fill(x, rows + 3 * cols);
      if (rows > 5) x[5 * cols + 1] = NaN;
      const y = new Float32Array(heap, 4 * n, cols);
      for (const lanes of [1, 2]) {
        b.setLanes(lanes);
        for (const op of [0, 1, 2, 3]) {
          b.reduceCols(op, heap, 0, 4 * n, rows, cols);
          for (let c = 0; c < cols; c++) {
            const v = Array.from({ length: rows }, (_, rr) => x[rr * cols + c]);
            const sum = v.reduce((p, q) => p + q, 0);
            const want = op === 0 ? sum : op === 1 ? Math.max(...v) : op === 2 ? Math.min(...v) : sum / rows;
            if (Number.isNaN(want)) expect(y[c], `op ${op} col ${c}`).to.be.NaN;
            else expect(Math.abs(y[c] - want), `op ${op} [${rows}, ${cols}] col ${c}`).to.be.lessThan(op === 0 ? 1e-3 : op === 3 ? 1e-5 : 1e-12);
          }
        }
      }
      b.setLanes(r.blas.threads);
      expect(() => b.reduceCols(0, heap, 0, 4 * (n + 1), rows, cols)).to.throw(RangeError);
      expect(() => b.reduceCols(0, heap, 0, 4 * n, 0, cols)).to.throw(RangeError, /rows/);
      expect(() => b.reduceCols(4, heap, 0, 4 * n, rows, cols)).to.throw();
    }
  });

  it('adviseHugePages advises whole 2 MiB pages of a buffer (and a range past it when mapped), refusing a bad length', () => {
    const b = r.binding;
    const big = new ArrayBuffer(8 << 20);
    const advised = b.adviseHugePages(big, 0);
    expect(advised % (2 << 20)).to.equal(0);
    expect(advised).to.be.at.most(8 << 20);
    if (process.platform === 'linux') expect(advised).to.be.at.least(6 << 20); // 8 MiB holds three whole aligned 2 MiB pages
    expect(b.adviseHugePages(new ArrayBuffer(1024), 0)).to.equal(0);
    // A range past the buffer that is not all mapped falls back to the buffer alone (never an error).
    expect(b.adviseHugePages(big, 2 ** 46)).to.equal(advised);
    expect(() => b.adviseHugePages(big, -1)).to.throw(RangeError);
    expect(() => b.adviseHugePages(7, 0)).to.throw(TypeError);
  });
  it('runs the vectorised kernels on the widest instruction set this CPU has and refuses one it lacks', () => {
    const b = r.binding;
    const { isa, supported } = b.getIsa();
    expect(supported.at(-1)).to.equal('baseline');
    expect(isa).to.equal(supported[0]);
    expect(() => b.setIsa('sse9')).to.throw(RangeError, /this CPU runs the kernels on .*baseline.*not 'sse9'/);
    expect(b.getIsa().isa).to.equal(isa);
  });

  // Every set this CPU runs (the vector width differs: 16, 8, 4 floats), so a
  // machine with AVX-512 also checks the AVX2 and baseline builds.
  for (const isa of ISAS) {
    describe(`vectorised kernels on ${isa}`, () => {
      let widest;
      before(() => {
        widest = r.binding.getIsa().isa;
        r.binding.setIsa(isa);
      });
      after(() => r.binding.setIsa(widest));

    it('exp and log are within 2 ulp of libm over a wide range, one lane and several', () => {
      const b = r.binding;
      const n = 100_003;
      const heap = new ArrayBuffer(8 * n);
      const x = new Float32Array(heap, 0, n);
      const y = new Float32Array(heap, 4 * n, n);
      for (const lanes of [1, 2]) {
        b.setLanes(lanes);
        for (let i = 0; i < n; i++) x[i] = -100 + (190 * i) / n;
        b.unary(0, heap, 0, 4 * n, n);
        let bad = '';
        for (let i = 0; i < n && !bad; i++) {
          const want = Math.fround(Math.exp(x[i]));
          const ok = Number.isFinite(want) ? Math.abs(y[i] - want) <= Math.max(2.5e-7 * want, 1.5e-45) : y[i] === want;
          if (!ok) bad = `exp(${x[i]}) = ${y[i]}, libm ${want}`;
        }
        for (let i = 0; i < n; i++) x[i] = Math.exp(-80 + (160 * i) / n);
        b.unary(1, heap, 0, 4 * n, n);
        for (let i = 0; i < n && !bad; i++) {
          const want = Math.log(x[i]);
          if (!(Math.abs(y[i] - want) <= 2.5e-7 * Math.max(Math.abs(want), 1e-3))) bad = `log(${x[i]}) = ${y[i]}, libm ${want}`;
        }
        expect(bad, `lanes ${lanes}`).to.equal('');
      }
      b.setLanes(r.cpus);
    });

    it('softmax rows sum to 1 and match a host softmax (rows shorter and longer than one vector)', () => {
      const b = r.binding;
      for (const cols of [1, 3, 7, 8, 9, 16, 49, 300]) {
        const rows = 33;
        const heap = new ArrayBuffer(8 * rows * cols);
        const x = new Float32Array(heap, 0, rows * cols);
        fill(x, cols);
        for (let i = 0; i < x.length; i++) x[i] *= 20;
        b.softmax(heap, 0, 4 * rows * cols, rows, cols);
        const y = new Float32Array(heap, 4 * rows * cols, rows * cols);
        for (let rr = 0; rr < rows; rr++) {
          const row = Array.from(x.subarray(rr * cols, (rr + 1) * cols));
          const m = Math.max(...row);
          const e = row.map((v) => Math.exp(v - m));
          const s = e.reduce((p, q) => p + q, 0);
          for (let c = 0; c < cols; c++) expect(Math.abs(y[rr * cols + c] - e[c] / s)).to.be.lessThan(1e-6);
        }
      }
    });

    it('reduceRows (sum, max, min, mean) and binaryRows match host loops, one lane and several, and refuse bad ranges', () => {
      const b = r.binding;
      for (const [rows, cols] of [[5, 3], [33, 16], [40, 1000], [300, 1025]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * (2 * n + 2 * rows));
        const x = new Float32Array(heap, 0, n);
        fill(x, rows + cols);
        const y = new Float32Array(heap, 4 * n, rows);
        const row = new Float32Array(heap, 4 * (n + rows), rows);
        const out = new Float32Array(heap, 4 * (n + 2 * rows), n);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          for (const op of [0, 1, 2, 3]) {
            b.reduceRows(op, heap, 0, 4 * n, rows, cols);
            for (let rr = 0; rr < rows; rr++) {
              const v = Array.from(x.subarray(rr * cols, (rr + 1) * cols));
              const sum = v.reduce((p, q) => p + q, 0);
              const want = op === 0 ? sum : op === 1 ? Math.max(...v) : op === 2 ? Math.min(...v) : sum / cols;
              expect(Math.abs(y[rr] - want), `op ${op} [${rows}, ${cols}] row ${rr}`).to.be.lessThan(op === 0 ? 1e-4 : op === 3 ? 1e-6 : 1e-12);
            }
          }
          fill(row, 7);
          for (const [op, rowFirst] of [[1, 0], [1, 1], [3, 0], [2, 1]]) {
            b.binaryRows(op, heap, 0, 4 * (n + rows), 4 * (n + 2 * rows), rows, cols, rowFirst);
            for (let i = 0; i < n; i += 97) {
              const f = x[i], s = row[Math.floor(i / cols)];
              const [p, q] = rowFirst ? [s, f] : [f, s];
              const want = Math.fround(op === 1 ? Math.fround(p) - Math.fround(q) : op === 2 ? Math.fround(p) * Math.fround(q) : Math.fround(p) / Math.fround(q));
              expect(out[i]).to.equal(want);
            }
          }
        }
        b.setLanes(r.blas.threads);
        expect(() => b.reduceRows(0, heap, 0, 4 * n, 3 * rows, cols)).to.throw(RangeError);
        expect(() => b.binaryRows(0, heap, 0, 4 * (n + rows), 4 * (n + 2 * rows), rows + 1, cols, 0)).to.throw(RangeError);
        expect(() => b.reduceRows(4, heap, 0, 4 * n, rows, cols)).to.throw();
      }
    });
    it('logSumExpRows matches a host log-sum-exp (rows shorter and longer than one vector), NaN for rows with NaN, +inf or only -inf', () => {
      const b = r.binding;
      for (const [rows, cols] of [[3, 5], [64, 49], [128, 1000], [7, 33]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * (n + rows));
        const x = new Float32Array(heap, 0, n);
        fill(x, 5 * rows + cols);
        for (let i = 0; i < n; i++) x[i] *= 40;
        x.fill(-Infinity, 0, cols); // row 0: only -inf
        x[cols + 1] = NaN; // row 1
        x[2 * cols + cols - 1] = Infinity; // row 2
        const y = new Float32Array(heap, 4 * n, rows);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          b.logSumExpRows(heap, 0, 4 * n, rows, cols);
          expect(Array.from(y.subarray(0, 3), Number.isNaN), `[${rows}, ${cols}] special rows`).to.deep.equal([true, true, true]);
          for (let rr = 3; rr < rows; rr++) {
            const v = Array.from(x.subarray(rr * cols, (rr + 1) * cols));
            const m = Math.max(...v);
            const want = m + Math.log(v.reduce((p, q) => p + Math.exp(q - m), 0));
            expect(Math.abs(y[rr] - want), `[${rows}, ${cols}] row ${rr}`).to.be.lessThan(1e-5 * Math.max(1, Math.abs(want)));
          }
        }
        b.setLanes(r.blas.threads);
        expect(() => b.logSumExpRows(heap, 0, 4 * n, rows + 1, cols)).to.throw(RangeError);
      }
    });
    it('layerNormRows matches a float64 layer norm and its rstd, one lane and several, and refuses bad arguments', () => {
      const b = r.binding;
      for (const [rows, cols] of [[3, 5], [1568, 128], [40, 33]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * (2 * n + rows));
        const x = new Float32Array(heap, 0, n);
        fill(x, rows * 7 + cols);
        for (let i = 0; i < n; i++) x[i] = x[i] * 3 + 100; // an offset the centred variance must survive
        const y = new Float32Array(heap, 4 * n, n);
        const rstd = new Float32Array(heap, 8 * n, rows);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          b.layerNormRows(heap, 0, 4 * n, 8 * n, rows, cols, 1e-5);
          for (let rr = 0; rr < rows; rr += Math.max(1, Math.floor(rows / 50))) {
            const v = Array.from(x.subarray(rr * cols, (rr + 1) * cols));
            const mean = v.reduce((p, q) => p + q, 0) / cols;
            const varb = v.reduce((p, q) => p + (q - mean) ** 2, 0) / cols;
            const rs = 1 / Math.sqrt(varb + 1e-5);
            expect(Math.abs(rstd[rr] - rs) / rs, `rstd row ${rr}`).to.be.lessThan(1e-4);
            for (let c = 0; c < cols; c++) expect(Math.abs(y[rr * cols + c] - (v[c] - mean) * rs), `[${rows}, ${cols}] (${rr}, ${c})`).to.be.lessThan(1e-3);
          }
        }
        b.setLanes(r.blas.threads);
        expect(() => b.layerNormRows(heap, 0, 4 * n, 8 * n + 4, rows, cols, 1e-5)).to.throw(RangeError);
        expect(() => b.layerNormRows(heap, 0, 4 * n, 8 * n, rows, cols, -1)).to.throw(RangeError, /eps/);
        expect(() => b.layerNormRows(heap, 0, 4 * n, 8 * n, rows, 0, 1e-5)).to.throw(RangeError, /cols/);
      }
    });
    it('binary op 4 (ReLU gradient) is dy * step(x) with the stock special values, every broadcast form, one lane and several', () => {
      const b = r.binding;
      const n = 300000; // above the two-lane threshold
      const heap = new ArrayBuffer(4 * 3 * n);
      const dy = new Float32Array(heap, 0, n);
      const x = new Float32Array(heap, 4 * n, n);
      const y = new Float32Array(heap, 8 * n, n);
      fill(dy, 41);
      fill(x, 42);
      [NaN, Infinity, -Infinity, 0, -0, 1e-38, -2].forEach((v, i) => (x[i] = v));
      dy[6] = Infinity; // inf * 0 = NaN
      const want = (a, v) => Math.fround(a * (Number.isNaN(v) ? NaN : v > 0 ? 1 : 0));
      const same = (got, w) => (Number.isNaN(w) ? Number.isNaN(got) : got === w);
      for (const lanes of [1, 2]) {
        b.setLanes(lanes);
        b.binary(4, heap, 0, n, 4 * n, n, 8 * n, n);
        for (let i = 0; i < n; i += i < 100 ? 1 : 997) expect(same(y[i], want(dy[i], x[i])), `element ${i}: ${y[i]} vs ${want(dy[i], x[i])}`).to.equal(true);
        b.binary(4, heap, 0, 1, 4 * n, n, 8 * n, n); // a scalar dy
        for (let i = 0; i < n; i += 1009) expect(same(y[i], want(dy[0], x[i])), `scalar dy, element ${i}`).to.equal(true);
        b.binary(4, heap, 0, n, 4 * n, 100, 8 * n, n); // x repeating with period 100
        for (let i = 0; i < n; i += 1013) expect(same(y[i], want(dy[i], x[i % 100])), `periodic x, element ${i}`).to.equal(true);
      }
      b.setLanes(r.blas.threads);
      expect(() => b.binary(5, heap, 0, n, 4 * n, n, 8 * n, n)).to.throw(RangeError, /op/);
    });

    it('softmaxGradRows is dy y - sum(dy y) y per row (rows shorter and longer than one vector), one lane and several, and refuses bad ranges', () => {
      const b = r.binding;
      for (const [rows, cols] of [[3, 5], [6272, 49], [40, 33], [9, 1]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * 3 * n);
        const dy = new Float32Array(heap, 0, n);
        const y = new Float32Array(heap, 4 * n, n);
        const dx = new Float32Array(heap, 8 * n, n);
        fill(dy, rows + 3 * cols);
        fill(y, rows * 5 + cols);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          b.softmaxGradRows(heap, 0, 4 * n, 8 * n, rows, cols);
          for (let rr = 0; rr < rows; rr += Math.max(1, Math.floor(rows / 60))) {
            let dot = 0;
            for (let c = 0; c < cols; c++) dot += dy[rr * cols + c] * y[rr * cols + c];
            for (let c = 0; c < cols; c++) {
              const i = rr * cols + c;
              expect(Math.abs(dx[i] - (dy[i] * y[i] - dot * y[i])), `[${rows}, ${cols}] (${rr}, ${c})`).to.be.lessThan(1e-6);
            }
          }
        }
        b.setLanes(r.blas.threads);
        expect(() => b.softmaxGradRows(heap, 0, 4 * n, 8 * n, rows + 1, cols)).to.throw(RangeError);
        expect(() => b.softmaxGradRows(heap, 2, 4 * n, 8 * n, rows, cols)).to.throw(RangeError);
      }
    });
    it('softmaxLseRows gives softmaxs equal to softmax and lse equal to logSumExpRows (rows shorter and longer than one vector), one lane and several', () => {
      const b = r.binding;
      for (const [rows, cols] of [[3, 5], [128, 1000], [40, 33], [2100, 130]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * (3 * n + 2 * rows));
        const x = new Float32Array(heap, 0, n);
        fill(x, 11 * rows + cols);
        for (let i = 0; i < n; i++) x[i] *= 30;
        x[cols + 2] = NaN; // row 1
        const y = new Float32Array(heap, 4 * n, n), want = new Float32Array(heap, 8 * n, n);
        const lse = new Float32Array(heap, 12 * n, rows), wantLse = new Float32Array(heap, 12 * n + 4 * rows, rows);
        b.softmax(heap, 0, 8 * n, rows, cols);
        b.logSumExpRows(heap, 0, 12 * n + 4 * rows, rows, cols);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          y.fill(7);
          lse.fill(7);
          b.softmaxLseRows(heap, 0, 4 * n, 12 * n, rows, cols);
          // The same max, exponentials and partial sums as the two kernels it fuses: the same bits.
          expect(Array.from(y).every((v, i) => Object.is(v, want[i])), `[${rows}, ${cols}] softmax`).to.equal(true);
          expect(Array.from(lse).every((v, i) => Object.is(v, wantLse[i])), `[${rows}, ${cols}] lse`).to.equal(true);
          expect(Number.isNaN(lse[1])).to.equal(true);
        }
        b.setLanes(r.blas.threads);
        expect(() => b.softmaxLseRows(heap, 0, 4 * n, 12 * n, 3 * rows, cols)).to.throw(RangeError);
        expect(() => b.softmaxLseRows(heap, 0, 0, 12 * n, rows, cols)).to.throw(RangeError, /input/);
      }
    });
    it('lseGradRows is softmax(x) dy per row, within 1e-6 of a float64 softmax times dy, NaN for a row holding NaN, one lane and several, and refuses bad ranges', () => {
      const b = r.binding;
      for (const [rows, cols] of [[3, 5], [128, 1000], [40, 33], [2100, 130]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * (2 * n + rows));
        const x = new Float32Array(heap, 0, n), dx = new Float32Array(heap, 4 * n, n);
        const dy = new Float32Array(heap, 8 * n, rows);
        fill(x, 3 * rows + cols);
        for (let i = 0; i < n; i++) x[i] *= 20;
        x[1] = NaN; // row 0
        fill(dy, rows + 17);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          dx.fill(7);
          b.lseGradRows(heap, 0, 8 * n, 4 * n, rows, cols);
          expect(Array.from(dx.subarray(0, cols)).every(Number.isNaN), 'NaN row').to.equal(true);
          for (let rr = 1; rr < rows; rr += Math.max(1, Math.floor(rows / 60))) {
            const v = Array.from(x.subarray(rr * cols, (rr + 1) * cols));
            const m = Math.max(...v);
            const s = v.reduce((p, q) => p + Math.exp(q - m), 0);
            for (let c = 0; c < cols; c++) expect(Math.abs(dx[rr * cols + c] - (Math.exp(v[c] - m) / s) * dy[rr]), `[${rows}, ${cols}] (${rr}, ${c})`).to.be.lessThan(1e-6);
          }
        }
        b.setLanes(r.blas.threads);
        expect(() => b.lseGradRows(heap, 0, 8 * n, 4 * n, rows + 1, cols)).to.throw(RangeError);
        expect(() => b.lseGradRows(heap, 0, 8 * n, 0, rows, cols)).to.throw(RangeError, /input/);
      }
    });
    it('layerNormGradRows is rstd ((dy - mean dy) - y mean(dy y)) per row, within 1e-5 of float64, one lane and several, and refuses bad ranges', () => {
      const b = r.binding;
      for (const [rows, cols] of [[3, 5], [1568, 128], [40, 33], [7, 1]]) {
        const n = rows * cols;
        const heap = new ArrayBuffer(4 * (4 * n + 2 * rows));
        const x = new Float32Array(heap, 0, n), y = new Float32Array(heap, 4 * n, n), dy = new Float32Array(heap, 8 * n, n), dx = new Float32Array(heap, 12 * n, n);
        const rstd = new Float32Array(heap, 16 * n, rows);
        fill(x, 5 * rows + cols);
        fill(dy, rows + 2 * cols);
        b.layerNormRows(heap, 0, 4 * n, 16 * n, rows, cols, 1e-5);
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          dx.fill(7);
          b.layerNormGradRows(heap, 8 * n, 4 * n, 16 * n, 12 * n, rows, cols);
          let worst = 0;
          for (let rr = 0; rr < rows; rr++) {
            let m1 = 0, m2 = 0;
            for (let c = 0; c < cols; c++) {
              m1 += dy[rr * cols + c];
              m2 += dy[rr * cols + c] * y[rr * cols + c];
            }
            m1 /= cols;
            m2 /= cols;
            for (let c = 0; c < cols; c++) {
              const want = rstd[rr] * (dy[rr * cols + c] - m1 - y[rr * cols + c] * m2);
              worst = Math.max(worst, Math.abs(dx[rr * cols + c] - want) / Math.max(1, Math.abs(want)));
            }
          }
          expect(worst, `[${rows}, ${cols}], ${lanes} lanes`).to.be.lessThan(1e-5);
        }
        b.setLanes(r.blas.threads);
        expect(() => b.layerNormGradRows(heap, 8 * n, 4 * n, 16 * n, 12 * n, 4 * rows, cols)).to.throw(RangeError);
        expect(() => b.layerNormGradRows(heap, 8 * n, 4 * n, 16 * n + 2, 12 * n, rows, cols)).to.throw(RangeError);
      }
    });
    it('diffStats is max |a - b| and sum (a - b) in one pass (lengths around every vector width; NaN and inf propagate), and refuses bad ranges', () => {
      const b = r.binding;
      for (const n of [0, 1, 7, 17, 50176, 100001]) {
        const heap = new ArrayBuffer(4 * (2 * n + 2));
        const x = new Float32Array(heap, 0, n), y = new Float32Array(heap, 4 * n, n), out = new Float32Array(heap, 8 * n, 2);
        fill(x, n + 3);
        fill(y, n + 4);
        const host = () => {
          let m = 0, s = 0;
          for (let i = 0; i < n; i++) {
            const d = Math.fround(x[i] - y[i]);
            m = Math.max(m, Math.abs(d));
            s += d;
          }
          return [m, s];
        };
        b.diffStats(heap, 0, 4 * n, 8 * n, n);
        const [m, s] = host();
        expect(out[0], `max, n ${n}`).to.equal(Math.fround(m)); // a max is exact
        expect(Math.abs(out[1] - s), `sum, n ${n}`).to.be.lessThan(1e-4 * Math.max(1, Math.sqrt(n)));
        if (n >= 17) {
          for (const [at, v, want] of [[n - 1, NaN, NaN], [3, Infinity, Infinity], [n >> 1, -Infinity, Infinity]]) {
            const keep = x[at];
            x[at] = v;
            b.diffStats(heap, 0, 4 * n, 8 * n, n);
            expect(out[0], `max with ${v} at ${at}, n ${n}`).to.deep.equal(want);
            expect(Number.isFinite(out[1]), `sum with ${v} at ${at}, n ${n}`).to.equal(false);
            x[at] = keep;
          }
          expect(() => b.diffStats(heap, 0, 4 * n, 8 * n, 2 * n)).to.throw(RangeError);
          expect(() => b.diffStats(heap, 0, 4 * n, 8 * n + 8, n)).to.throw(RangeError);
        }
      }
    });
    it('axpby is a x + b y elementwise (lengths around every vector width, in place on x or y), one lane and several, and refuses bad ranges', () => {
      const b = r.binding;
      for (const n of [1, 7, 17, 100352, 300001]) {
        const heap = new ArrayBuffer(4 * 4 * n);
        const x = new Float32Array(heap, 0, n), y = new Float32Array(heap, 4 * n, n), out = new Float32Array(heap, 8 * n, n), keep = new Float32Array(heap, 12 * n, n);
        fill(x, n + 1);
        fill(y, n + 2);
        keep.set(x);
        const want = (i) => Math.fround(Math.fround(0.9 * keep[i]) + Math.fround(-0.1 * y[i]));
        for (const lanes of [1, 2]) {
          b.setLanes(lanes);
          b.axpby(heap, 0.9, 0, -0.1, 4 * n, 8 * n, n);
          for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 997))) expect(Math.abs(out[i] - want(i)), `n ${n} at ${i}`).to.be.lessThan(1e-7);
        }
        b.axpby(heap, 0.9, 0, -0.1, 4 * n, 0, n); // in place on x
        for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 997))) expect(Math.abs(x[i] - want(i)), `in place, n ${n} at ${i}`).to.be.lessThan(1e-7);
        b.setLanes(r.blas.threads);
        expect(() => b.axpby(heap, 1, 0, 1, 4 * n, 8 * n, 4 * n)).to.throw(RangeError);
        expect(() => b.axpby(heap, 1, 2, 1, 4 * n, 8 * n, n)).to.throw(RangeError);
      }
    });
    // [2, 5, 3, 4]: tiny; [2, 19, 2, 17]: rows and columns ragged for every vector width (the small-product
    // kernel); [1, 104, 1, 100]: per-head products past the small-product bound (OpenBLAS), fewer probes.
    // (probes: finite-difference coordinates per input, 0 = every 7th; the big case checks fewer
    // masks and lanes, its float64 host reference costs a million multiply-adds a product.)
    for (const [B, N, H, Y, probes, masks, laneCounts] of [[2, 5, 3, 4, 0, [0, 1, 2], [1, 2]], [2, 19, 2, 17, 20, [0, 1, 2], [1, 2]], [1, 104, 1, 100, 3, [0, 1], [2]]])
    it(`headAttention and headAttentionGrad match a float64 host attention and its finite differences (token-major, masks of 1 and B, one lane and several; B N H Y = ${B} ${N} ${H} ${Y})`, () => {
      const b = r.binding;
      const T = B * N * H * Y;
      const stride = probes ? Math.floor(T / probes) + 1 : 7;
      const scale = 0.7;
      const host = (q, k, mask, mb) => {
        // float64: pullQ, pullK [B*N, H*Y] token-major, lse [B, H, N].
        const pullQ = new Float64Array(T), pullK = new Float64Array(T), lse = new Float64Array(B * H * N);
        for (let s = 0; s < B; s++)
          for (let h = 0; h < H; h++) {
            const at = (t, y) => s * N * H * Y + t * H * Y + h * Y + y;
            const P = [];
            for (let c = 0; c < N; c++) {
              const row = [];
              for (let j = 0; j < N; j++) {
                let v = 0;
                for (let y = 0; y < Y; y++) v += q[at(c, y)] * k[at(j, y)];
                row.push(scale * v + (mask ? mask[(mb === 1 ? 0 : s) * N * N + c * N + j] : 0));
              }
              const m = Math.max(...row);
              const e = row.map((v) => Math.exp(v - m));
              const tot = e.reduce((p, v) => p + v, 0);
              lse[(s * H + h) * N + c] = m + Math.log(tot);
              P.push(e.map((v) => v / tot));
            }
            for (let c = 0; c < N; c++)
              for (let y = 0; y < Y; y++) {
                let a = 0, bb = 0;
                for (let j = 0; j < N; j++) {
                  a += P[c][j] * k[at(j, y)];
                  bb += P[j][c] * q[at(j, y)];
                }
                pullQ[at(c, y)] = a;
                pullK[at(c, y)] = bb;
              }
          }
        return { pullQ, pullK, lse };
      };
      for (const mb of masks) {
        const heap = new ArrayBuffer(4 * (9 * T + 2 * B * H * N + B * N * N));
        const f = (i, n) => new Float32Array(heap, 4 * i, n);
        const [q, k, pq, pk, dpq, dpk, dq, dk] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => f(i * T, T));
        const lse = f(8 * T, B * H * N);
        const dlse = f(8 * T + B * H * N, B * H * N);
        const maskOff = 8 * T + 2 * B * H * N;
        const mask = f(maskOff, B * N * N);
        [q, k, dpq, dpk, dlse].forEach((a, i) => fill(a, 61 + i + mb));
        for (let i = 0; i < mask.length; i++) mask[i] = i % 7 === 3 ? -1e9 : 0.1 * ((i * 13) % 5);
        const mArg = mb === 0 ? -1 : 4 * maskOff;
        const ref = host(q, k, mb === 0 ? null : mask, mb);
        for (const lanes of laneCounts) {
          b.headAttention(heap, 0, 4 * T, mArg, mb || 1, 4 * 2 * T, 4 * 3 * T, 4 * 8 * T, B, N, H, Y, scale, lanes);
          for (let i = 0; i < T; i++) {
            expect(Math.abs(pq[i] - ref.pullQ[i]), `mask ${mb} lanes ${lanes} pullQ ${i}`).to.be.lessThan(1e-5);
            expect(Math.abs(pk[i] - ref.pullK[i]), `mask ${mb} lanes ${lanes} pullK ${i}`).to.be.lessThan(1e-5);
          }
          for (let i = 0; i < B * H * N; i++) expect(Math.abs(lse[i] - ref.lse[i]), `lse ${i}`).to.be.lessThan(1e-5);
          // Without lse (offset -1): the same pulls, lse left alone.
          pq.fill(0);
          lse.fill(7);
          b.headAttention(heap, 0, 4 * T, mArg, mb || 1, 4 * 2 * T, 4 * 3 * T, -1, B, N, H, Y, scale, lanes);
          for (let i = 0; i < T; i++) expect(Math.abs(pq[i] - ref.pullQ[i]), `no lse: pullQ ${i}`).to.be.lessThan(1e-5);
          expect(lse.every((v) => v === 7)).to.equal(true);
          b.headAttentionGrad(heap, 0, 4 * T, mArg, mb || 1, 4 * 4 * T, 4 * 5 * T, 4 * (8 * T + B * H * N), 4 * 6 * T, 4 * 7 * T, B, N, H, Y, scale, lanes);
          // L = <pullQ, dpq> + <pullK, dpk> + <lse, dlse>; central differences in float64.
          const loss = (qq, kk) => {
            const o = host(qq, kk, mb === 0 ? null : mask, mb);
            let v = 0;
            for (let i = 0; i < T; i++) v += o.pullQ[i] * dpq[i] + o.pullK[i] * dpk[i];
            for (let i = 0; i < B * H * N; i++) v += o.lse[i] * dlse[i];
            return v;
          };
          const [q64, k64] = [Float64Array.from(q), Float64Array.from(k)];
          for (const [which, x, g] of [['q', q64, dq], ['k', k64, dk]]) {
            for (let i = 0; i < T; i += stride) {
              const keep = x[i];
              x[i] = keep + 1e-5;
              const up = which === 'q' ? loss(x, k64) : loss(q64, x);
              x[i] = keep - 1e-5;
              const down = which === 'q' ? loss(x, k64) : loss(q64, x);
              x[i] = keep;
              expect(Math.abs(g[i] - (up - down) / 2e-5), `mask ${mb} lanes ${lanes} d${which} ${i}`).to.be.lessThan(1e-4);
            }
          }
        }
        b.setLanes(r.blas.threads);
        if (mb !== 0) expect(() => b.headAttention(heap, 0, 4 * T, mArg, 3, 4 * 2 * T, 4 * 3 * T, 4 * 8 * T, B, N, H, Y, scale, 1)).to.throw(RangeError, /maskBatch/);
        expect(() => b.headAttention(heap, 0, 4 * T, mArg, mb || 1, 4 * 2 * T, 4 * 3 * T, 4 * 8 * T, B + 99, N, H, Y, scale, 1)).to.throw(RangeError);
        expect(() => b.headAttentionGrad(heap, 0, 4 * T, mArg, mb || 1, 4 * 4 * T, 4 * 5 * T, -1, 4 * 6 * T, 4 * 7 * T, B, 0, H, Y, scale, 1)).to.throw(RangeError, /N, H and Y/);
      }
    });
    });
  }
});
