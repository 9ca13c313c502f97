/**
 * tf.randomNormal (and truncatedNormal) treat seed 0 as "no seed" (tfjs:
 * `seed ? seed : Math.random()`), unlike tf.randomUniform: a draw with seed 0
 * differs on every run. Every seeded normal draw of this plugin goes through
 * here, so seed 0 is a seed like any other (mapped as core's seededRandom maps it).
 */
export function normalSeed(seed: number): number {
  return seed === 0 ? 0x9e3779b9 : seed;
}
