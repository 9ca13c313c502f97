/**
 * @engram/sequence — long-sequence Hopfield memory (Chaudhry, Zavatone-Veth,
 * Krotov & Pehlevan, NeurIPS 2023) on @engram/core: SeqNet, DenseNet
 * (polynomial and exponential), the generalized pseudoinverse rule, the
 * MixedNet with variable timing and the bipartite form. Every transition
 * streams through the core dynamics engine with the overlaps of the state with
 * every stored pattern.
 *
 * @packageDocumentation
 */
import { sequencePlugin } from './plugin.js';

export { sequencePlugin };
export { SequenceMemoryBase, type SequencePatternsOptions, type SequenceRunOptions } from './internal/base.js';
export {
  type Separation,
  type PolynomialSeparation,
  type ExponentialSeparation,
  parseSeparation,
  separationToJson,
  separationValue,
  separationLabel,
} from './separation.js';
export { SequenceNetwork, type SequenceNetworkKind, type SequenceNetworkOptions, seqNet, denseNet, gpiNet } from './sequence-network.js';
export { MixedNet, type MixedNetOptions, mixedNet } from './mixed-net.js';
export { BipartiteSequenceNet, type BipartiteOptions, bipartiteNet } from './bipartite.js';
export { recallSequence, type RecallOptions, type RecallResult, type RecallStop } from './recall.js';
export {
  doubleFactorialOdd,
  theoryTransitionCapacity,
  theorySequenceCapacity,
  theoryExponentialSequenceCapacity,
  measureSequenceCapacity,
  type CapacityOptions,
  type CapacityResult,
} from './capacity.js';
export {
  runCapacityExperiment,
  runCapacityCommand,
  CAPACITY_USAGE,
  type CapacityExperimentOptions,
  type CapacityPoint,
} from './capacity-command.js';
export { invertMatrix, symmetricEigen, symmetricPinv, matMul64, type SquareMatrix, type SymmetricEigen } from './linalg.js';

export { benchSequenceTransition, type SequenceTransitionBenchOptions, type SequenceTransitionBenchResult } from './bench.js';

export default sequencePlugin;
