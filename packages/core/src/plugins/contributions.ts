import type * as tf from '@tensorflow/tfjs';
import type { Lagrangian } from '../lagrangians/lagrangian.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { Engram } from './engram.js';

/**
 * Contribution points, in Eclipse Theia's style: a Symbol plus a same-named
 * interface per point. Plugins contribute through their register(ctx) hook; the
 * host binds each contribution under its Symbol and collects them with a
 * contribution provider (an empty point yields [], never undefined).
 */

/** Fields every contribution carries; `id` is namespaced by the plugin ('hopfield/modern'). */
export interface ContributionBase {
  /** Full id: '<plugin>/<local id>'. */
  readonly id: string;
  /** Name of the contributing plugin. */
  readonly plugin: string;
  /** One line for listings such as `engram plugins`. */
  readonly description?: string;
}

/** A model that can be saved and loaded through engram's serialization. */
export interface EngramModel {
  /** The registered model id that rebuilds it, e.g. 'hopfield/modern' or 'core/graph'. */
  readonly kind: string;
  /** Hyper-parameters and structure as JSON (no weights). */
  getConfig(): JsonObject;
  /** The model's parameters by name (live tensors: the serializer only reads them). */
  getWeights(): Record<string, tf.Tensor>;
  /** Copies values into the parameters; names and shapes must match `getWeights()`. */
  setWeights(weights: Record<string, tf.Tensor>): void;
  /** Frees every tensor the model holds. */
  dispose(): void;
}

export const LagrangianContribution = Symbol.for('engram.LagrangianContribution');
/** A Lagrangian kind: builds a Lagrangian from JSON parameters. */
export interface LagrangianContribution extends ContributionBase {
  create(params: JsonObject): Lagrangian;
}

export const SynapseContribution = Symbol.for('engram.SynapseContribution');
/** A hypersynapse kind: builds a synapse from its JSON config. */
export interface SynapseContribution extends ContributionBase {
  create(config: JsonObject): Hypersynapse;
}

export const ModelContribution = Symbol.for('engram.ModelContribution');
/** A model factory: builds a model from its JSON config (the spec's `config`). */
export interface ModelContribution extends ContributionBase {
  create(config: JsonObject, engram: Engram): EngramModel | Promise<EngramModel>;
}

export const DatasetContribution = Symbol.for('engram.DatasetContribution');
/** A data set: loads data from JSON options. */
export interface DatasetContribution extends ContributionBase {
  load(options: JsonObject, engram: Engram): Promise<unknown>;
}

/** Where a command writes, and whether it talks to a terminal. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (progress bars), false for pipes and files. */
  isTTY: boolean;
  /** Working directory for relative paths. */
  cwd: string;
}

export const CommandContribution = Symbol.for('engram.CommandContribution');
/** A CLI subcommand contributed by a plugin: `engram <name> ...`. The id is '<plugin>/<name>'. */
export interface CommandContribution extends ContributionBase {
  /** The subcommand word, e.g. 'capacity'. */
  readonly name: string;
  /** Usage text shown by `engram <name> --help`. */
  readonly usage?: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: readonly string[], io: CommandIO, engram: Engram): Promise<number>;
}

/** The contribution points by name, for listings and lookups. */
export const contributionPoints = {
  lagrangian: LagrangianContribution,
  synapse: SynapseContribution,
  model: ModelContribution,
  dataset: DatasetContribution,
  command: CommandContribution,
} as const;

/** Name of a contribution point. */
export type ContributionPoint = keyof typeof contributionPoints;
