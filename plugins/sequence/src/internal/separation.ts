/**
 * The sequence models' use of core's one separation function definition
 * (`separation`, `separationSchema`): which kinds apply, and the default of
 * `beta` for 'exp' on overlaps x in [-1, 1].
 *
 * The paper's functions map onto core's kinds as:
 *
 * | paper                      | config                          | evaluated as            |
 * |----------------------------|---------------------------------|-------------------------|
 * | f(x) = x (SeqNet)          | `{ kind: 'power', n: 1 }`       | F(x)                    |
 * | f(x) = x^d (DenseNet)      | `{ kind: 'power', n: d }`       | F(x)                    |
 * | f(x) = exp((N-1)(x-1))     | `{ kind: 'exp', beta: N - 1 }`  | F(x - 1), i.e. `shift: 1` |
 *
 * 'exp' always runs with shift 1 (the largest overlap, so F <= 1 and float32
 * stays finite); beta defaults to N - 1, the paper's choice. 'lse' is not
 * offered: for a sign update it gives exactly the signs of 'exp' (softmax only
 * divides each neuron's field by a positive sum).
 */
import { separation, separationSchema, z, type Separation } from '@engram/core';

/** Separation kinds the sequence transitions take. */
export const sequenceSeparationKinds = ['power', 'rectified-power', 'exp'] as const;

/** Core's separation schema, with the kinds a sign update needs and beta defaulting to N - 1. */
export const sequenceSeparationSchema = separationSchema.extend({
  kind: z.enum(sequenceSeparationKinds).describe("F: 'power' x^n (n = 1: SeqNet), 'rectified-power' max(x, 0)^n, 'exp' exp(beta (x - 1))"),
  n: z.number().positive().max(64).default(2).describe('exponent of the power kinds (an integer for power)'),
  beta: z.number().positive().optional().describe("inverse temperature of 'exp' on overlaps in [-1, 1] (default N - 1: the paper's exp((N-1)(x-1)))"),
});

/** A separation as written in a sequence model's config, e.g. `{ kind: 'power', n: 3 }`. */
export type SequenceSeparationSpec = z.input<typeof sequenceSeparationSchema>;
/** A parsed separation of a sequence model's config. */
export type SequenceSeparationConfig = z.output<typeof sequenceSeparationSchema>;

/** The separation as stored in `getConfig()`: only the keys its kind uses, beta resolved. */
export type ResolvedSeparation = { kind: 'power' | 'rectified-power'; n: number } | { kind: 'exp'; beta: number };

/** Core's separation for a model of `size` neurons, with the config entry that rebuilds it. */
export function resolveSeparation(spec: SequenceSeparationConfig, size: number, owner: string): { fn: Separation; json: ResolvedSeparation } {
  if (spec.kind === 'exp') {
    const beta = spec.beta ?? size - 1;
    return { fn: separation({ kind: 'exp', beta }, owner), json: { kind: 'exp', beta } };
  }
  return { fn: separation({ kind: spec.kind, n: spec.n }, owner), json: { kind: spec.kind, n: spec.n } };
}

/** Short label for plots and tables, e.g. 'power n=2' or 'exp beta=99'. */
export function separationLabel(s: ResolvedSeparation): string {
  return s.kind === 'exp' ? `exp beta=${s.beta}` : `${s.kind} n=${s.n}`;
}
