/** The five sequence models (one file per kind) and their union. */
import type { BipartiteNet } from './bipartite.js';
import type { DenseNet } from './dense.js';
import type { GpiNet } from './gpi.js';
import type { MixedNet } from './mixed.js';
import type { SeqNet } from './seqnet.js';

export { SeqNet, seqNetSchema, type SeqNetConfig, type SeqNetConfigInput } from './seqnet.js';
export { DenseNet, denseNetSchema, type DenseNetConfig, type DenseNetConfigInput } from './dense.js';
export { GpiNet, gpiNetSchema, type GpiNetConfig, type GpiNetConfigInput } from './gpi.js';
export { MixedNet, mixedNetSchema, type MixedNetConfig, type MixedNetConfigInput } from './mixed.js';
export { BipartiteNet, bipartiteNetSchema, type BipartiteNetConfig, type BipartiteNetConfigInput } from './bipartite.js';

/** Any of the five sequence models. */
export type SequenceMemory = SeqNet | DenseNet | GpiNet | MixedNet | BipartiteNet;
