import type { z } from 'zod';
import type { ArrayDataset } from '../dataset.js';
import type { Lagrangian } from '../lagrangians/lagrangian.js';
import type { Model } from '../model/model.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { Engram } from './engram.js';

/**
 * Contribution points, in Eclipse Theia's style: a Symbol plus a same-named
 * interface per point. Plugins contribute through their register(ctx) hook; the
 * host binds each contribution under its Symbol and collects them with a
 * contribution provider (an empty point yields [], never undefined).
 *
 * Every contribution that takes JSON carries a zod schema: the host validates
 * configs with it before the factory runs (unknown keys, wrong types and
 * out-of-range values are ENGRAM_ERR_INVALID_CONFIG naming the key and the id),
 * and the same schema gives the JSON Schema of specs, CLI flags and forms.
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

export const LagrangianContribution = Symbol.for('engram.LagrangianContribution');
/** A Lagrangian kind: builds a Lagrangian from its parsed params. */
export interface LagrangianContribution extends ContributionBase {
  readonly schema: z.ZodType;
  create(params: never): Lagrangian;
}

export const SynapseContribution = Symbol.for('engram.SynapseContribution');
/** A hypersynapse kind: builds a synapse from its parsed config. */
export interface SynapseContribution extends ContributionBase {
  readonly schema: z.ZodType;
  create(config: never): Hypersynapse;
}

export const ModelContribution = Symbol.for('engram.ModelContribution');
/** A model kind: builds a {@link Model} from its parsed config (a spec's `config`). */
export interface ModelContribution extends ContributionBase {
  readonly schema: z.ZodType;
  /** A small valid config, for listings, forms, docs and the registry-wide test. */
  readonly example: JsonObject;
  create(config: never, engram: Engram): Model | Promise<Model>;
}

export const DatasetContribution = Symbol.for('engram.DatasetContribution');
/** A data set: loads samples from its parsed options. */
export interface DatasetContribution extends ContributionBase {
  readonly schema: z.ZodType;
  load(options: never, engram: Engram): Promise<ArrayDataset>;
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

/** A positional argument of a command. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  /** Default true. */
  readonly required?: boolean;
}

/** What a command receives: its parsed options (defaults filled in) and positionals. */
export interface CommandArgs<O> {
  readonly options: O;
  readonly positionals: readonly string[];
}

export const CommandContribution = Symbol.for('engram.CommandContribution');
/**
 * A CLI subcommand contributed by a plugin: `engram <name> ...`. The id is
 * '<plugin>/<name>'. Its options are a zod object: the CLI turns each key into
 * a flag (`batchSize` -> `--batch-size`), parses and validates the command line
 * with it, and prints `--help` from it, the same way for every command.
 */
export interface CommandContribution extends ContributionBase {
  /** The subcommand word, e.g. 'capacity'. */
  readonly name: string;
  readonly description: string;
  readonly options: z.ZodObject;
  readonly positionals: readonly PositionalSpec[];
  /** Text after the options in `--help` (examples, notes). */
  readonly details?: string;
  /** Runs the command; resolves to the process exit code (0 success, 1 failure). */
  run(args: CommandArgs<never>, io: CommandIO, engram: Engram): Promise<number>;
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
