import * as tf from '@tensorflow/tfjs';

/**
 * Directional finite-difference check of d f / d vars: compares <grad, d> with
 * (f(v + eps d) - f(v - eps d)) / (2 eps) for `directions` seeded random
 * directions d (all variables moved at once). Returns the worst relative error.
 */
export function directionalCheck(f: () => tf.Scalar, vars: tf.Variable[], opts: { eps?: number; directions?: number; seed?: number } = {}): { worst: number; pairs: [number, number][] } {
  const eps = opts.eps ?? 1e-2;
  const { grads } = tf.variableGrads(f, vars);
  const originals = vars.map((v) => v.clone());
  const pairs: [number, number][] = [];
  let worst = 0;
  try {
    for (let k = 0; k < (opts.directions ?? 3); k++) {
      const dirs = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', (opts.seed ?? 0) * 1000 + k * 50 + i));
      const analytic = tf.tidy(() => tf.addN(vars.map((v, i) => tf.sum(tf.mul(grads[v.name]!, dirs[i]!)))).dataSync()[0]!);
      const at = (s: number): number => {
        vars.forEach((v, i) => v.assign(tf.tidy(() => tf.add(originals[i]!, tf.mul(dirs[i]!, s)))));
        return tf.tidy(() => f().dataSync()[0]!);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      vars.forEach((v, i) => v.assign(originals[i]!));
      dirs.forEach((d) => d.dispose());
      pairs.push([analytic, numeric]);
      worst = Math.max(worst, Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6));
    }
  } finally {
    vars.forEach((v, i) => v.assign(originals[i]!));
    originals.forEach((t) => t.dispose());
    Object.values(grads).forEach((g) => g.dispose());
  }
  return { worst, pairs };
}

/** Relative L2 error |a - b| / |b|. */
export function relError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0]! / Math.max(tf.norm(b).dataSync()[0]!, 1e-30));
}
