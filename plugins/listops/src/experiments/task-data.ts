/**
 * The study's data: for one seed, a pool of distinct expressions per operator
 * (mixing 'expression': each expression uses one operator throughout), split
 * into test, validation and train. A task mixing k operators trains on
 * `train` expressions of each (share 'per-operator': joint training adds the
 * other operators' data to SUM's, as "SUM trained alongside MAX and MED"), or
 * on train/k of each (share 'total': every task sees the same number of
 * expressions). Every task scored on SUM is scored on the same SUM test set. With mixing 'node' (original ListOps: operators mix
 * inside an expression) the mix is generated as a whole and the per-operator
 * test sets exclude everything it trains on.
 */
import { listOpsSplits, type ListOpsExample } from '../listops/generate.js';
import type { ListOpsOperator } from '../listops/operators.js';
import type { GeneratorOptions } from '../listops/options.js';

/** Sizes of the study's splits. */
export interface DataSizes {
  /** Training expressions per operator ('per-operator'), or of a whole phase shared equally among its operators ('total'). */
  train: number;
  /** How a phase mixing several operators counts `train`. */
  share: 'per-operator' | 'total';
  /** Validation expressions per operator (early stopping). */
  val: number;
  /** Test expressions per operator (the reported accuracies). */
  test: number;
}

/** Training and validation data of one phase, and the per-operator test sets. */
export interface PhaseData {
  readonly train: readonly ListOpsExample[];
  readonly val: readonly ListOpsExample[];
}

/** Builds the data of a seed lazily, caching each operator's pool. */
export class StudyData {
  private readonly pools = new Map<ListOpsOperator, { train: readonly ListOpsExample[]; val: readonly ListOpsExample[]; test: readonly ListOpsExample[] }>();

  constructor(
    readonly generator: GeneratorOptions,
    readonly sizes: DataSizes,
    readonly seed: number,
  ) {}

  private pool(op: ListOpsOperator) {
    let p = this.pools.get(op);
    if (!p) {
      const index = ['MIN', 'MAX', 'MED', 'SUM', 'NADD', 'PROD', 'FIRST', 'LAST'].indexOf(op);
      // One stream per (seed, operator): the SUM pool of a seed is the same whatever the task.
      const { train, val, test } = this.sizes;
      p = listOpsSplits({ ...this.generator, ops: [op], mixing: 'expression' }, { train, val, test }, this.seed * 101 + index + 1);
      this.pools.set(op, p);
    }
    return p;
  }

  /** The validation set of an operator. */
  val(op: ListOpsOperator): readonly ListOpsExample[] {
    return this.pool(op).val;
  }

  /** The test set of an operator. */
  test(op: ListOpsOperator): readonly ListOpsExample[] {
    return this.pool(op).test;
  }

  /** Training and validation data of a phase mixing `ops`. */
  phase(ops: readonly ListOpsOperator[]): PhaseData {
    if (this.generator.mixing === 'node' && ops.length > 1) return this.nodeMixedPhase(ops);
    const share = this.sizes.share === 'per-operator' ? this.sizes.train : Math.floor(this.sizes.train / ops.length);
    const train: ListOpsExample[] = [];
    const val: ListOpsExample[] = [];
    ops.forEach((op, i) => {
      const p = this.pool(op);
      const extra = this.sizes.share === 'total' && i < this.sizes.train - share * ops.length ? 1 : 0;
      train.push(...p.train.slice(0, share + extra));
      val.push(...p.val);
    });
    return { train, val };
  }

  private nodeMixedPhase(ops: readonly ListOpsOperator[]): PhaseData {
    const held = new Set<string>();
    for (const op of ops) for (const ex of [...this.pool(op).test, ...this.pool(op).val]) held.add(ex.text);
    const train = this.sizes.share === 'per-operator' ? this.sizes.train * ops.length : this.sizes.train;
    const mix = listOpsSplits({ ...this.generator, ops: [...ops], mixing: 'node' }, { train, val: this.sizes.val, test: 0 }, this.seed * 101 + 50, held);
    return { train: mix.train, val: mix.val };
  }
}
