import type { z } from 'zod';
import type { ArrayDataset } from '../dataset.js';
import type { Lagrangian } from '../lagrangians/lagrangian.js';
import type { Model } from '../model/model.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { CommandArgs, CommandIO, PositionalSpec } from './contributions.js';
import type { Engram } from './engram.js';

/** A Lagrangian kind: its params schema and factory (which receives the parsed params). */
export interface LagrangianDefinitionEntry<S extends z.ZodType> {
  schema: S;
  create(params: z.output<S>): Lagrangian;
  description?: string;
}

/** A synapse kind: its config schema and factory. */
export interface SynapseDefinitionEntry<S extends z.ZodType> {
  schema: S;
  create(config: z.output<S>): Hypersynapse;
  description?: string;
}

/** A model kind: its config schema, a small valid example config, and its factory. */
export interface ModelDefinitionEntry<S extends z.ZodType> {
  schema: S;
  /** A small valid config (for listings, forms and the registry-wide test). */
  example: z.input<S>;
  create(config: z.output<S>, engram: Engram): Model | Promise<Model>;
  description?: string;
}

/** A data set: its options schema and loader. */
export interface DatasetDefinitionEntry<S extends z.ZodType> {
  schema: S;
  load(options: z.output<S>, engram: Engram): Promise<ArrayDataset>;
  description?: string;
}

/** A CLI command: its options schema (one flag per key), positionals, and body. */
export interface CommandDefinitionEntry<S extends z.ZodObject> {
  description: string;
  options: S;
  positionals?: readonly PositionalSpec[];
  details?: string;
  run(args: CommandArgs<z.output<S>>, io: CommandIO, engram: Engram): Promise<number>;
}

/** What a plugin's register hook can contribute. Ids given here are local; the host prefixes '<plugin>/'. */
export interface PluginContext {
  /** Name of the plugin being registered. */
  readonly plugin: string;
  /** Version of @engram/core running the plugin. */
  readonly coreVersion: string;
  lagrangian<S extends z.ZodType>(id: string, definition: LagrangianDefinitionEntry<S>): void;
  synapse<S extends z.ZodType>(id: string, definition: SynapseDefinitionEntry<S>): void;
  model<S extends z.ZodType>(id: string, definition: ModelDefinitionEntry<S>): void;
  dataset<S extends z.ZodType>(id: string, definition: DatasetDefinitionEntry<S>): void;
  command<S extends z.ZodObject>(name: string, definition: CommandDefinitionEntry<S>): void;
}

/**
 * An engram plugin: a plain object, as plain as a Rollup plugin. The default
 * export of a plugin package. Its `name` is the package name without the
 * `@engram/` scope (or `engram-plugin-` prefix) and namespaces its ids.
 */
export interface EngramPlugin {
  /** Unique name; also the namespace of its ids ('hopfield' -> 'hopfield/modern'). */
  readonly name: string;
  /** The plugin's own version (semver). */
  readonly version: string;
  /** Range of @engram/core versions it supports, checked with semver before any of its code runs. */
  readonly engram: string;
  /** One line for `engram plugins`. */
  readonly description?: string;
  /** Names of plugins that must be loaded too (optionally 'name@range'); they register first. */
  readonly dependencies?: readonly string[];
  /** Contributes the plugin's parts. */
  register(ctx: PluginContext): void | Promise<void>;
}

/** Identity function that type-checks a plugin object (the author's entry point). */
export function definePlugin(plugin: EngramPlugin): EngramPlugin {
  return plugin;
}
