/** Every case, in run order. Factories so that nothing is allocated for cases not run. */
import type { BenchCase } from '../harness.js';
import { matmulPeak } from './matmul.js';
import { openblasSgemm } from './openblas-sgemm.js';
import { denseAmRetrieval } from './dense-am.js';
import { etInference, etTrainStep, etTrainStepCheckpointed } from './et.js';
import { descentAutodiff, descentClosedForm, descentGraph } from './descent.js';
import { streamBare, streamSubscribed, streamSubscribedSnapshots } from './stream.js';
import { sequenceTransition } from './sequence.js';
import { sdmlpTrain } from './sdmlp.js';

/** Case names with their factories, in run order. */
export const CASES: ReadonlyArray<[string, () => BenchCase]> = [
  ['matmul-peak', () => matmulPeak],
  ['openblas-sgemm', () => openblasSgemm],
  ['dense-am-retrieval', () => denseAmRetrieval],
  ['et-inference', etInference],
  ['et-train-step', etTrainStep],
  ['et-train-step-checkpointed', etTrainStepCheckpointed],
  ['descent-graph', () => descentGraph],
  ['descent-autodiff', () => descentAutodiff],
  ['descent-closed-form', () => descentClosedForm],
  ['stream-bare', () => streamBare],
  ['stream-subscribed', () => streamSubscribed],
  ['stream-subscribed-snapshots', () => streamSubscribedSnapshots],
  ['sequence-transition', () => sequenceTransition],
  ['sdmlp-train', () => sdmlpTrain],
];

/**
 * Cases measured as an interleaved group (bench/src/paired.ts) when two or more
 * of a group are selected; the first is the baseline of the group's ratios.
 * (Every case is also interleaved with its PyTorch twins when torch runs.)
 */
export const PAIRED_GROUPS: ReadonlyArray<readonly string[]> = [
  ['et-train-step', 'et-train-step-checkpointed'],
  ['openblas-sgemm', 'matmul-peak'],
  ['descent-closed-form', 'descent-graph', 'descent-autodiff'],
  ['stream-bare', 'stream-subscribed', 'stream-subscribed-snapshots'],
];
