/**
 * The ListOps operators and what each computes on its (already evaluated)
 * arguments. MIN, MAX, MED and SM are those of Nangia & Bowman (2018); FIRST
 * and LAST appear in their first generator; NADD (alternating-sign sum) is the
 * "similar hard" partner of SUM in Both et al. (v2); PROD is their easy
 * multiplicative operator. Everything that wraps modulo n takes `modulus`.
 */

/** Every operator the generator knows, in the tokenizer's fixed order. */
export const LISTOPS_OPERATORS = ['MIN', 'MAX', 'MED', 'SUM', 'NADD', 'PROD', 'FIRST', 'LAST'] as const;

/** One ListOps operator. */
export type ListOpsOperator = (typeof LISTOPS_OPERATORS)[number];

/** How each operator is written in an expression (SUM is '[SM' as in the original data set). */
export const OPERATOR_TOKENS: Readonly<Record<ListOpsOperator, string>> = {
  MIN: '[MIN',
  MAX: '[MAX',
  MED: '[MED',
  SUM: '[SM',
  NADD: '[NADD',
  PROD: '[PROD',
  FIRST: '[FIRST',
  LAST: '[LAST',
};

/** Non-negative remainder (JavaScript's % keeps the sign of the dividend). */
function mod(value: number, n: number): number {
  return ((value % n) + n) % n;
}

/**
 * The median as the original generator computes it, `int(np.median(args))`:
 * the middle value of an odd count, the mean of the two middle values rounded
 * down (towards zero, all values being >= 0) of an even count.
 */
export function listOpsMedian(args: readonly number[]): number {
  const sorted = [...args].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.floor((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The value of `op` applied to evaluated arguments (at least one). */
export function applyOperator(op: ListOpsOperator, args: readonly number[], modulus: number): number {
  switch (op) {
    case 'MIN':
      return Math.min(...args);
    case 'MAX':
      return Math.max(...args);
    case 'MED':
      return listOpsMedian(args);
    case 'SUM':
      return mod(args.reduce((a, b) => a + b, 0), modulus);
    case 'NADD':
      return mod(args.reduce((a, b, i) => (i % 2 === 0 ? a + b : a - b), 0), modulus);
    case 'PROD':
      return args.reduce((a, b) => (a * b) % modulus, 1 % modulus);
    case 'FIRST':
      return args[0]!;
    case 'LAST':
      return args[args.length - 1]!;
  }
}
