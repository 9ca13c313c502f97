export {
  LagrangianContribution,
  SynapseContribution,
  ModelContribution,
  DatasetContribution,
  CommandContribution,
  contributionPoints,
  type ContributionBase,
  type ContributionPoint,
  type CommandIO,
  type CommandArgs,
  type PositionalSpec,
} from './contributions.js';
export {
  definePlugin,
  type EngramPlugin,
  type PluginContext,
  type LagrangianDefinitionEntry,
  type SynapseDefinitionEntry,
  type ModelDefinitionEntry,
  type DatasetDefinitionEntry,
  type CommandDefinitionEntry,
} from './plugin.js';
export { Engram, type PluginInfo, type PointType, type ModelKinds, type KindConfig, type KindModel } from './engram.js';
export { createEngram, type CreateEngramOptions } from './create-engram.js';
