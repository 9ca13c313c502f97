/**
 * The task mixes of the study: single operators, joint training, pretraining
 * followed by fine-tuning, and a pair of similar hard operators. Each names
 * the operators it trains on (per phase) and the operator it is scored on.
 */
import { errors } from '@engram/core';
import type { ListOpsOperator } from '../listops/operators.js';

/** One training phase: the operators its data mixes. */
export interface TaskPhase {
  readonly ops: readonly ListOpsOperator[];
}

/** A task mix of the study. */
export interface TaskDefinition {
  /** Its name in tables, keys and plots, e.g. 'SUM+MAX+MED' or 'MAX+MED->SUM'. */
  readonly name: string;
  /** Training phases in order (two for pretraining then fine-tuning). */
  readonly phases: readonly TaskPhase[];
  /** The operator whose test accuracy decides "learned". */
  readonly target: ListOpsOperator;
}

/** The tasks of the study, as in Both et al.: single operators, SUM jointly with MAX and MED, MAX+MED pretraining then SUM, and SUM with NADD (similar hard pair). */
export const STUDY_TASKS = ['MAX', 'MIN', 'MED', 'SUM', 'SUM+MAX+MED', 'MAX+MED->SUM', 'SUM+NADD'] as const;

/** Name of a study task. */
export type StudyTask = (typeof STUDY_TASKS)[number];

const OPERATOR_NAMES = new Set<string>(['MIN', 'MAX', 'MED', 'SUM', 'NADD', 'PROD', 'FIRST', 'LAST']);

function parseOps(text: string, task: string): ListOpsOperator[] {
  const ops = text.split('+');
  for (const op of ops) if (!OPERATOR_NAMES.has(op)) throw errors.invalidArgument(`operator '${op}' of task '${task}'`, 'one of MIN, MAX, MED, SUM, NADD, PROD, FIRST, LAST', op);
  if (new Set(ops).size !== ops.length) throw errors.invalidArgument(`task '${task}'`, 'a mix without repeated operators', task);
  return ops as ListOpsOperator[];
}

/**
 * A task from its name: 'OP' or 'OP+OP+...' trains on the mix and is scored
 * on its first operator; 'A+B->C' pretrains on A+B, then trains on C and is
 * scored on C's first operator.
 */
export function taskDefinition(name: string): TaskDefinition {
  const parts = name.split('->');
  if (parts.length > 2 || parts.some((p) => p.length === 0)) throw errors.invalidArgument('task', "'OP', 'OP+OP' or 'OP+OP->OP' (e.g. 'SUM+MAX+MED', 'MAX+MED->SUM')", name);
  const phases = parts.map((p) => ({ ops: parseOps(p, name) }));
  return { name, phases, target: phases[phases.length - 1]!.ops[0]! };
}

/** Every operator a task's phases use (for building the data pools). */
export function taskOperators(task: TaskDefinition): ListOpsOperator[] {
  return [...new Set(task.phases.flatMap((p) => p.ops))];
}
