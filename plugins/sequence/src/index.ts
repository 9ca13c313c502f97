/**
 * @engram/sequence — long-sequence Hopfield memory (Chaudhry, Zavatone-Veth,
 * Krotov & Pehlevan, NeurIPS 2023) on @engram/core: SeqNet, DenseNet (power
 * and exp separation, core's shared definitions), the generalized
 * pseudoinverse rule, the MixedNet with variable timing and the bipartite form.
 * Every model implements core's model protocol (ModelBase): one `run`, whose
 * steps stream the neurons `v` and their overlaps with every stored pattern.
 *
 * This entry imports no Node built-in, so it bundles for browsers. The
 * capacity grid that writes files and the `capacity` command are in
 * `@engram/sequence/node` (with a plugin of the same name that adds the
 * command); the bench workload is behind `@engram/sequence/bench`.
 *
 * @packageDocumentation
 */
import type { BipartiteNet, BipartiteNetConfigInput } from './models/bipartite.js';
import type { DenseNet, DenseNetConfigInput } from './models/dense.js';
import type { GpiNet, GpiNetConfigInput } from './models/gpi.js';
import type { MixedNet, MixedNetConfigInput } from './models/mixed.js';
import type { SeqNet, SeqNetConfigInput } from './models/seqnet.js';
import { sequencePlugin } from './plugin.js';

export { sequencePlugin };
export {
  SeqNet,
  seqNetSchema,
  type SeqNetConfig,
  type SeqNetConfigInput,
  DenseNet,
  denseNetSchema,
  type DenseNetConfig,
  type DenseNetConfigInput,
  GpiNet,
  gpiNetSchema,
  type GpiNetConfig,
  type GpiNetConfigInput,
  MixedNet,
  mixedNetSchema,
  type MixedNetConfig,
  type MixedNetConfigInput,
  BipartiteNet,
  bipartiteNetSchema,
  type BipartiteNetConfig,
  type BipartiteNetConfigInput,
  type SequenceMemory,
} from './models/index.js';
export {
  sequenceSeparationSchema,
  type SequenceSeparationSpec,
  type SequenceSeparationConfig,
  type ResolvedSeparation,
} from './internal/separation.js';
export { recallSequence, type RecallOptions, type RecallResult, type RecallStop } from './experiments/recall.js';
export {
  doubleFactorialOdd,
  theoryTransitionCapacity,
  theorySequenceCapacity,
  theoryExponentialSequenceCapacity,
  measureSequenceCapacity,
  type CapacityOptions,
  type CapacityResult,
} from './experiments/capacity.js';

declare module '@engram/core' {
  /** The sequence plugin's kinds, so `engram.createModel('sequence/dense', { size: 100, length: 50 })` is typed. */
  interface ModelKinds {
    'sequence/seqnet': { config: SeqNetConfigInput; model: SeqNet };
    'sequence/dense': { config: DenseNetConfigInput; model: DenseNet };
    'sequence/gpi': { config: GpiNetConfigInput; model: GpiNet };
    'sequence/mixed': { config: MixedNetConfigInput; model: MixedNet };
    'sequence/bipartite': { config: BipartiteNetConfigInput; model: BipartiteNet };
  }
}

export default sequencePlugin;
