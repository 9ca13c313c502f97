export { defineSynapse, type Hypersynapse, type SynapseDefinition } from './hypersynapse.js';
export { denseSynapse, type DenseSynapseOptions } from './dense.js';
export { biasSynapse, type BiasSynapseOptions } from './bias.js';
export { memorySynapse, type MemorySynapseOptions, type MemorySeparation } from './memory.js';
