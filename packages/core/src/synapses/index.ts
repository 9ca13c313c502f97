export { defineSynapse, autodiffOnly, type Hypersynapse, type SynapseDefinition, type EnergyAndGradient } from './hypersynapse.js';
export { denseSynapse, type DenseSynapseOptions } from './dense.js';
export { biasSynapse, type BiasSynapseOptions } from './bias.js';
export { memorySynapse, type MemorySynapseOptions, type MemorySeparation } from './memory.js';
export { denseSynapseSchema, biasSynapseSchema, memorySynapseSchema } from './schemas.js';
export { separation, separationSchema, type Separation, type SeparationSpec, type SeparationConfig, type SeparationKind, type FactoredWeights } from './separation.js';
export { flattenBatch } from './initializers.js';
