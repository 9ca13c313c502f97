/**
 * ListOps expression trees: a leaf is a digit, a node an operator over two or
 * more sub-trees. Evaluation, nesting depth and the prefix string form
 * ("[MAX 2 9 [MIN 4 7 ] 0 ]", the original data set's format).
 */
import { applyOperator, OPERATOR_TOKENS, type ListOpsOperator } from './operators.js';

/** An operator applied to its arguments. */
export interface ListOpsNode {
  readonly op: ListOpsOperator;
  readonly args: readonly ListOpsTree[];
}

/** A ListOps expression: a digit, or an operator node. */
export type ListOpsTree = number | ListOpsNode;

/** The value of an expression (results of SUM, NADD and PROD wrap modulo `modulus`). */
export function evaluateTree(tree: ListOpsTree, modulus: number): number {
  if (typeof tree === 'number') return tree;
  return applyOperator(
    tree.op,
    tree.args.map((a) => evaluateTree(a, modulus)),
    modulus,
  );
}

/** Nesting depth: 0 for a digit, 1 for a flat list such as [MAX 1 2 ], one more per level of nesting. */
export function treeDepth(tree: ListOpsTree): number {
  if (typeof tree === 'number') return 0;
  return 1 + Math.max(...tree.args.map(treeDepth));
}

/** Every operator node, root first (depth-first, left to right). */
export function treeNodes(tree: ListOpsTree): ListOpsNode[] {
  if (typeof tree === 'number') return [];
  return [tree, ...tree.args.flatMap(treeNodes)];
}

/** The expression as space-separated tokens: operator tokens, digits and ']'. */
export function treeTokens(tree: ListOpsTree): string[] {
  if (typeof tree === 'number') return [String(tree)];
  return [OPERATOR_TOKENS[tree.op], ...tree.args.flatMap(treeTokens), ']'];
}

/** The expression in the original data set's string form. */
export function treeToString(tree: ListOpsTree): string {
  return treeTokens(tree).join(' ');
}

/** The longest token count of an expression with at most `maxDepth` levels and `maxArgs` arguments per operator. */
export function maxTokenCount(maxDepth: number, maxArgs: number): number {
  let length = 1;
  for (let d = 0; d < maxDepth; d++) length = 2 + maxArgs * length;
  return length;
}

/** Token of a scratch (chain-of-thought) value: '=v'. */
export function valueToken(v: number): string {
  return `=${v}`;
}

/**
 * The expression with its chain of thought, as one token list: after every
 * argument of a list comes the list's running value over the arguments so far
 * ('=v'), so "[SM 3 4 [MAX 1 5 ] ]" reads "[SM 3 =3 4 =7 [MAX 1 =1 5 =5 ] =2 ]".
 * The last scratch value is the expression's value. For associative operators
 * each step is one binary operation on the previous scratch value; MED's
 * running median needs all the arguments so far.
 */
export function chainOfThoughtTokens(tree: ListOpsTree, modulus: number): string[] {
  if (typeof tree === 'number') return [String(tree), valueToken(tree)];
  const out: string[] = [OPERATOR_TOKENS[tree.op]];
  const values: number[] = [];
  for (const arg of tree.args) {
    if (typeof arg === 'number') out.push(String(arg));
    else out.push(...chainOfThoughtTokens(arg, modulus));
    values.push(evaluateTree(arg, modulus));
    out.push(valueToken(applyOperator(tree.op, values, modulus)));
  }
  out.push(']');
  return out;
}

/**
 * The expression with the value of every list written once, after its ']'
 * ('=v'), so "[SM 3 4 [MAX 1 5 ] ]" reads "[SM 3 4 [MAX 1 5 ] =5 ] =2": each
 * list's value is computed in one step from its arguments (digits, or the
 * values written for its sub-lists), as the original ListOps' per-node
 * supervision would. The last value is the expression's value. Every
 * operator then needs all of a list's arguments at once (SUM a three-digit
 * sum modulo n, MED the middle one): the alternative to the running values of
 * {@link chainOfThoughtTokens}, whose steps are binary for MIN, MAX and SUM
 * but not for MED.
 */
export function listValueTokens(tree: ListOpsTree, modulus: number): string[] {
  if (typeof tree === 'number') return [String(tree), valueToken(tree)];
  const out: string[] = [OPERATOR_TOKENS[tree.op]];
  for (const arg of tree.args) {
    if (typeof arg === 'number') out.push(String(arg));
    else out.push(...listValueTokens(arg, modulus));
  }
  out.push(']', valueToken(evaluateTree(tree, modulus)));
  return out;
}

/** The chain of thought in the given style: 'running' ({@link chainOfThoughtTokens}) or 'lists' ({@link listValueTokens}). */
export function thoughtTokens(tree: ListOpsTree, modulus: number, style: ChainOfThoughtStyle): string[] {
  return style === 'lists' ? listValueTokens(tree, modulus) : chainOfThoughtTokens(tree, modulus);
}

/** How the chain of thought is written: the running value after every argument, or each list's value after it closes. */
export type ChainOfThoughtStyle = 'running' | 'lists';

/** The longest chain-of-thought token list for at most `maxDepth` levels and `maxArgs` arguments. */
export function maxChainOfThoughtCount(maxDepth: number, maxArgs: number): number {
  let length = 1;
  for (let d = 0; d < maxDepth; d++) length = 2 + maxArgs * (length + 1);
  return length;
}
