import { expect } from 'chai';
import { ErrorCodes, seededRandom } from '@engram/core';
import {
  applyOperator,
  chainOfThoughtTokens,
  listValueTokens,
  decodeExpression,
  distinctExamples,
  encodeExamples,
  encodeExpression,
  evaluateTree,
  generatorPreset,
  listOpsMedian,
  listOpsSplits,
  maxChainOfThoughtCount,
  maxTokenCount,
  randomTree,
  resolveGeneratorOptions,
  treeDepth,
  treeNodes,
  treeToString,
  treeTokens,
  LISTOPS_OPERATORS,
  type ListOpsOperator,
  type ListOpsTree,
} from '../src/index.js';
import { expectCode } from './helpers.js';

/** An independent reference of each operator (written differently from the library's). */
function reference(op: ListOpsOperator, xs: number[], n: number): number {
  switch (op) {
    case 'MIN':
      return xs.reduce((a, b) => (b < a ? b : a));
    case 'MAX':
      return xs.reduce((a, b) => (b > a ? b : a));
    case 'MED': {
      // int(np.median(xs)): average of the middle pair, truncated, for even counts.
      const s = [...xs].sort((a, b) => a - b);
      const k = s.length;
      return k % 2 ? s[(k - 1) / 2]! : Math.trunc((s[k / 2 - 1]! + s[k / 2]!) / 2);
    }
    case 'SUM': {
      let t = 0;
      for (const x of xs) t = (t + x) % n;
      return t;
    }
    case 'NADD': {
      let t = 0;
      xs.forEach((x, i) => (t = (((t + (i % 2 ? -x : x)) % n) + n) % n));
      return t;
    }
    case 'PROD': {
      let t = 1 % n;
      for (const x of xs) t = (t * x) % n;
      return t;
    }
    case 'FIRST':
      return xs[0]!;
    case 'LAST':
      return xs[xs.length - 1]!;
  }
}

function referenceValue(tree: ListOpsTree, n: number): number {
  return typeof tree === 'number' ? tree : reference(tree.op, tree.args.map((a) => referenceValue(a, n)), n);
}

/** Every tree of depth <= 2 with 2 arguments per operator over the given leaves, for one operator. */
function enumerateTrees(op: ListOpsOperator, leaves: number[]): ListOpsTree[] {
  const flat: ListOpsTree[] = leaves.flatMap((a) => leaves.map((b) => ({ op, args: [a, b] })));
  const args: ListOpsTree[] = [...leaves, ...flat];
  return [...flat, ...args.flatMap((a) => args.map((b) => ({ op, args: [a, b] }))).filter((t) => treeDepth(t) === 2)];
}

describe('ListOps generator', () => {
  it('computes every operator as the reference does on all flat lists of 2 and 3 digits (mod 10 and mod 7)', () => {
    for (const n of [10, 7])
      for (const op of LISTOPS_OPERATORS)
        for (let a = 0; a < 10; a++)
          for (let b = 0; b < 10; b++) {
            expect(applyOperator(op, [a, b], n), `${op} ${a} ${b}`).to.equal(reference(op, [a, b], n));
            for (let c = 0; c < 10; c += 3) expect(applyOperator(op, [a, b, c], n)).to.equal(reference(op, [a, b, c], n));
          }
    expect(listOpsMedian([1, 2])).to.equal(1);
    expect(listOpsMedian([3, 9, 1, 4])).to.equal(3);
    expect(applyOperator('NADD', [1, 5, 2], 10)).to.equal(8);
  });

  it('labels every enumerated depth-2 binary tree over digits 0-3 correctly, and its chain of thought ends in the label', () => {
    let count = 0;
    for (const op of ['MIN', 'MAX', 'MED', 'SUM', 'NADD'] as const) {
      for (const tree of enumerateTrees(op, [0, 1, 2, 3])) {
        const v = evaluateTree(tree, 10);
        expect(v).to.equal(referenceValue(tree, 10));
        const cot = chainOfThoughtTokens(tree, 10);
        expect(cot[cot.length - 1]).to.equal(']');
        expect(cot[cot.length - 2]).to.equal(`=${v}`);
        // Dropping the scratch values gives back the expression.
        expect(cot.filter((t) => !t.startsWith('=')).join(' ')).to.equal(treeToString(tree));
        // The per-list style: one value per list, after its ']'; the last is the label.
        const lists = listValueTokens(tree, 10);
        expect(lists[lists.length - 1]).to.equal(`=${v}`);
        expect(lists.filter((t) => t.startsWith('=')).length).to.equal(lists.filter((t) => t === ']').length);
        expect(lists.filter((t) => !t.startsWith('=')).join(' ')).to.equal(treeToString(tree));
        count++;
      }
    }
    expect(count).to.equal(5 * (16 + 20 * 20 - 16));
  });

  it('writes the running value after every argument in the chain of thought', () => {
    const tree: ListOpsTree = { op: 'SUM', args: [3, 4, { op: 'MAX', args: [1, 5] }] };
    expect(chainOfThoughtTokens(tree, 10).join(' ')).to.equal('[SM 3 =3 4 =7 [MAX 1 =1 5 =5 ] =2 ]');
    expect(listValueTokens(tree, 10).join(' ')).to.equal('[SM 3 4 [MAX 1 5 ] =5 ] =2');
    // The generator writes the style it is asked for; both fit the running style's length bound.
    const [running] = distinctExamples({ ops: ['SUM'], maxDepth: 2, branchP: 0.8 }, 1, 3);
    const [lists] = distinctExamples({ ops: ['SUM'], maxDepth: 2, branchP: 0.8, chainOfThought: 'lists' }, 1, 3);
    expect(lists!.text).to.equal(running!.text);
    expect(lists!.cot.split(' ').length).to.be.below(running!.cot.split(' ').length);
    expectCode(() => resolveGeneratorOptions({ chainOfThought: 'steps' } as never), ErrorCodes.INVALID_CONFIG, /chainOfThought/);
    expect(treeTokens(tree).length).to.equal(8);
    expect(maxTokenCount(2, 3)).to.equal(17);
    expect(maxChainOfThoughtCount(1, 3)).to.equal(8);
    expect(maxChainOfThoughtCount(2, 3)).to.equal(29);
  });

  it('keeps to the depth and argument limits, roots every tree in an operator, and reaches the depth limit', () => {
    for (const [maxDepth, minArgs, maxArgs, branchP] of [
      [1, 2, 3, 0.25],
      [2, 2, 4, 0.5],
      [3, 1, 2, 0.9],
      [2, 3, 3, 1],
    ] as const) {
      const o = resolveGeneratorOptions({ maxDepth, minArgs, maxArgs, branchP });
      const rand = seededRandom(7);
      let deepest = 0;
      for (let i = 0; i < 300; i++) {
        const t = randomTree(o, rand);
        expect(typeof t).to.equal('object');
        const d = treeDepth(t);
        expect(d).to.be.within(1, maxDepth);
        deepest = Math.max(deepest, d);
        for (const node of treeNodes(t)) expect(node.args.length).to.be.within(minArgs, maxArgs);
        expect(treeTokens(t).length).to.be.at.most(maxTokenCount(maxDepth, maxArgs));
        if (branchP === 1) expect(d).to.equal(maxDepth);
      }
      expect(deepest).to.equal(maxDepth);
    }
  });

  it('uses only the task mix, one operator per expression with mixing expression', () => {
    const mixed = distinctExamples({ ops: ['MAX', 'SUM'], mixing: 'node', maxDepth: 2, branchP: 0.6 }, 300, 1);
    const opsIn = (text: string) => new Set(text.split(' ').filter((t) => t.startsWith('[')));
    expect(mixed.some((e) => opsIn(e.text).size === 2)).to.equal(true);
    for (const e of mixed) for (const t of opsIn(e.text)) expect(['[MAX', '[SM']).to.include(t);
    const single = distinctExamples({ ops: ['MAX', 'SUM'], mixing: 'expression', maxDepth: 2, branchP: 0.6 }, 300, 1);
    for (const e of single) expect(opsIn(e.text).size).to.equal(1);
  });

  it('is reproducible from its seed, and different seeds give different data', () => {
    const a = listOpsSplits({}, { train: 200, val: 20, test: 50 }, 3);
    const b = listOpsSplits({}, { train: 200, val: 20, test: 50 }, 3);
    const c = listOpsSplits({}, { train: 200, val: 20, test: 50 }, 4);
    expect(a.train.map((e) => e.text)).to.deep.equal(b.train.map((e) => e.text));
    expect(a.test.map((e) => e.cot)).to.deep.equal(b.test.map((e) => e.cot));
    expect(c.train.map((e) => e.text)).to.not.deep.equal(a.train.map((e) => e.text));
    // The test set of a seed does not depend on the train size.
    expect(listOpsSplits({}, { train: 10, val: 20, test: 50 }, 3).test.map((e) => e.text)).to.deep.equal(a.test.map((e) => e.text));
  });

  it('de-duplicates: no expression twice, none shared by train, validation and test, none from the exclude set', () => {
    const s = listOpsSplits({ ops: ['SUM'], maxDepth: 1, maxArgs: 3 }, { train: 700, val: 100, test: 200 }, 0);
    const all = [...s.train, ...s.val, ...s.test].map((e) => e.text);
    expect(new Set(all).size).to.equal(all.length);
    const exclude = new Set(s.test.map((e) => e.text));
    const other = listOpsSplits({ ops: ['SUM'], maxDepth: 1, maxArgs: 3 }, { train: 500, val: 0, test: 0 }, 9, exclude);
    for (const e of other.train) expect(exclude.has(e.text)).to.equal(false);
    // 2- and 3-digit flat SUM lists: 100 + 1000 expressions exist; asking for more is a coded error, not a hang.
    expectCode(() => distinctExamples({ ops: ['SUM'], maxDepth: 1, maxArgs: 3 }, 1101, 0), ErrorCodes.INVALID_ARGUMENT, /found only 1100 distinct expressions/);
  });

  it('tokenizes to ids and back, with chain-of-thought targets at the positions before each value', () => {
    const [ex] = distinctExamples({ maxDepth: 2, branchP: 0.8 }, 1, 5);
    expect(decodeExpression(encodeExpression(ex!.text))).to.equal(ex!.text);
    const e = encodeExamples([ex!], 40, 'cot');
    const ids = Array.from(e.tokens);
    expect(decodeExpression(ids)).to.equal(ex!.cot);
    const cot = ex!.cot.split(' ');
    cot.forEach((t, j) => {
      if (t.startsWith('=')) expect(e.targets![j - 1]).to.equal(Number(t.slice(1)));
    });
    expect(Array.from(e.targets!).filter((t) => t >= 0).length).to.equal(cot.filter((t) => t.startsWith('=')).length);
    expect(Array.from(encodeExamples([ex!], 40, 'cls').tokens)[0]).to.equal(1);
    expectCode(() => encodeExpression('[MAX 1 x ]'), ErrorCodes.INVALID_ARGUMENT, /unknown ListOps token 'x'/);
    expectCode(() => encodeExamples([ex!], 3, 'answer'), ErrorCodes.SHAPE_MISMATCH, /does not fit/);
  });

  it('has the original settings as presets, and rejects bad settings with coded errors', () => {
    const original = generatorPreset('nangia2018');
    expect(original).to.include({ maxDepth: 20, maxArgs: 5, branchP: 0.25, modulus: 10 });
    expect(original.ops).to.deep.equal(['MIN', 'MAX', 'MED', 'SUM']);
    const sample = distinctExamples(original, 20, 0);
    for (const e of sample) expect(e.text.split(' ').length).to.be.at.most(512);
    expect(generatorPreset('lra')).to.include({ maxDepth: 10, maxArgs: 10, minTokens: 500, maxTokens: 2000 });
    expectCode(() => resolveGeneratorOptions({ minArgs: 5, maxArgs: 3 }), ErrorCodes.INVALID_ARGUMENT, /minArgs must be at most maxArgs/);
    expectCode(() => resolveGeneratorOptions({ maxDepht: 3 } as never), ErrorCodes.INVALID_CONFIG, /did you mean 'maxDepth'/);
    expectCode(() => resolveGeneratorOptions({ ops: ['ADD'] } as never), ErrorCodes.INVALID_CONFIG, /ops/);
    expectCode(() => resolveGeneratorOptions({ maxDepth: 20, maxArgs: 5 }), ErrorCodes.INVALID_ARGUMENT, /set maxTokens/);
    expectCode(() => resolveGeneratorOptions({ ops: ['MAX', 'MAX'] }), ErrorCodes.INVALID_ARGUMENT, /without repeats/);
  });
});
