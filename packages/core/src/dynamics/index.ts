export type { DynamicsSystem, EnergyTerms, StepContext, StepResult, ExplicitRuleDefinition } from './system.js';
export { explicitRule } from './system.js';
export type { DynamicsStep } from './step-event.js';
export type { RunSettings, DynamicsOptions, SnapshotOptions } from './run-options.js';
export type { ClampSpec } from './clamp.js';
export { runDynamics } from './run.js';
export { integrate, type IntegrateOptions } from './integrate.js';
export { descentStep, descentSystem, type DescentOptions } from './descent.js';
export { PausableScheduler } from './pausable-scheduler.js';
