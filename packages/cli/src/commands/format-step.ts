import type { DynamicsStep } from '@engram/core';

const fmt = (x: number): string => (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toFixed(4));

/** A number as the CLI prints energies. */
export const formatNumber = fmt;

/** Formats one dynamics step as a terminal line. */
export function formatStep(s: DynamicsStep): string {
  const e = s.energy === null ? '-' : fmt(s.energy);
  const d = s.step === 0 ? '-' : s.delta.toExponential(2);
  return `step ${String(s.step).padStart(4)}  t=${s.t.toFixed(2).padStart(6)}  energy ${e.padStart(12)}  max|dx| ${d}${s.converged ? '  converged' : ''}\n`;
}
