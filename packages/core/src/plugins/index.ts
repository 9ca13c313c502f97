export {
  LagrangianContribution,
  SynapseContribution,
  ModelContribution,
  DatasetContribution,
  CommandContribution,
  contributionPoints,
  type ContributionBase,
  type ContributionPoint,
  type EngramModel,
  type CommandIO,
} from './contributions.js';
export { definePlugin, type EngramPlugin, type PluginContext } from './plugin.js';
export { Engram, type PluginInfo, type PointType } from './engram.js';
export { createEngram, type CreateEngramOptions } from './create-engram.js';
