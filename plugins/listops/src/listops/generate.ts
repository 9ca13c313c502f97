/**
 * Seeded generation of ListOps expressions and of de-duplicated splits: every
 * expression appears at most once across train, validation and test (and
 * never in an `exclude` set, e.g. another task's test split).
 */
import { EngramError, ErrorCodes, parseConfig, seededRandom } from '@engram/core';
import type { ListOpsOperator } from './operators.js';
import { checkGeneratorOptions, expressionTokenLimit, generatorSchema, type GeneratorOptions, type GeneratorOptionsInput } from './options.js';
import { evaluateTree, thoughtTokens, treeDepth, treeTokens, type ListOpsTree } from './tree.js';

/** One labelled expression. */
export interface ListOpsExample {
  /** The expression, tokens separated by spaces. */
  readonly text: string;
  /** Its value, the class to predict. */
  readonly label: number;
  /** Its nesting depth (1 = flat list). */
  readonly depth: number;
  /** The operator at its root. */
  readonly root: ListOpsOperator;
  /** The expression with its chain of thought (running values '=v' after every argument). */
  readonly cot: string;
}

/** A random number source in [0, 1). */
export type Random = () => number;

function randomInt(rand: Random, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function pick<T>(rand: Random, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

/**
 * One random tree: the root is always an operator; each argument above the
 * depth limit is a sub-expression with probability `branchP`, else a digit.
 * With mixing 'expression' the whole tree uses one operator.
 */
export function randomTree(o: GeneratorOptions, rand: Random): ListOpsTree {
  const fixed = o.mixing === 'expression' ? pick(rand, o.ops) : undefined;
  const grow = (depth: number): ListOpsTree => {
    const op = fixed ?? pick(rand, o.ops);
    const count = randomInt(rand, o.minArgs, o.maxArgs);
    const args: ListOpsTree[] = [];
    for (let i = 0; i < count; i++) args.push(depth < o.maxDepth && rand() < o.branchP ? grow(depth + 1) : randomInt(rand, 0, o.digits - 1));
    return { op, args };
  };
  return grow(1);
}

/** Parses and checks generator settings (coded ENGRAM_ERR_INVALID_CONFIG / INVALID_ARGUMENT errors). */
export function resolveGeneratorOptions(options: GeneratorOptionsInput | GeneratorOptions): GeneratorOptions {
  const o = parseConfig(generatorSchema, options, 'listops generator');
  checkGeneratorOptions(o);
  return o;
}

/**
 * A stream of distinct labelled expressions from a seed. Expressions outside
 * the length limits or already seen (including those in `exclude`) are
 * skipped; when `patience` draws in a row bring nothing new the space is
 * taken as exhausted and the call fails with a coded error.
 */
export function distinctExamples(
  options: GeneratorOptionsInput | GeneratorOptions,
  count: number,
  seed: number,
  exclude: ReadonlySet<string> = new Set(),
): ListOpsExample[] {
  const o = resolveGeneratorOptions(options);
  if (!Number.isInteger(count) || count < 0) throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `example count must be a non-negative integer, got ${count}`, { count });
  const rand = seededRandom(seed);
  const limit = expressionTokenLimit(o);
  const seen = new Set<string>();
  const out: ListOpsExample[] = [];
  const patience = 2000 + 20 * count;
  let misses = 0;
  while (out.length < count) {
    const tree = randomTree(o, rand);
    const tokens = treeTokens(tree);
    const text = tokens.join(' ');
    if (tokens.length > limit || tokens.length < o.minTokens || seen.has(text) || exclude.has(text)) {
      if (++misses > patience) {
        throw new EngramError(
          ErrorCodes.INVALID_ARGUMENT,
          `the ListOps generator found only ${out.length} distinct expressions of the ${count} asked for (${patience} draws in a row brought nothing new): ask for fewer examples, or allow more (raise maxArgs, maxDepth or branchP, or widen the token limits)`,
          { found: out.length, asked: count },
        );
      }
      continue;
    }
    misses = 0;
    seen.add(text);
    const root = typeof tree === 'number' ? o.ops[0]! : tree.op;
    out.push({ text, label: evaluateTree(tree, o.modulus), depth: treeDepth(tree), root, cot: thoughtTokens(tree, o.modulus, o.chainOfThought).join(' ') });
  }
  return out;
}

/** Sizes of the three splits. */
export interface SplitSizes {
  train: number;
  val: number;
  test: number;
}

/** Disjoint train / validation / test sets of distinct expressions. */
export interface ListOpsSplits {
  readonly options: GeneratorOptions;
  readonly train: readonly ListOpsExample[];
  readonly val: readonly ListOpsExample[];
  readonly test: readonly ListOpsExample[];
}

/**
 * Seeded, de-duplicated splits: distinct expressions are drawn once and dealt
 * out test first, then validation, then train, so no expression is in two
 * splits and the test set of a seed does not depend on the train size.
 * Expressions in `exclude` (e.g. another task's held-out sets) are never used.
 */
export function listOpsSplits(
  options: GeneratorOptionsInput | GeneratorOptions,
  sizes: SplitSizes,
  seed: number,
  exclude: ReadonlySet<string> = new Set(),
): ListOpsSplits {
  const o = resolveGeneratorOptions(options);
  const all = distinctExamples(o, sizes.test + sizes.val + sizes.train, seed, exclude);
  return {
    options: o,
    test: all.slice(0, sizes.test),
    val: all.slice(sizes.test, sizes.test + sizes.val),
    train: all.slice(sizes.test + sizes.val),
  };
}
