import type { JsonObject } from '../numerics/tensor-input.js';
import type { Lagrangian } from '../lagrangians/lagrangian.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import type { CommandIO, EngramModel } from './contributions.js';
import type { Engram } from './engram.js';

/** What a plugin's register hook can contribute. Ids given here are local; the host prefixes '<plugin>/'. */
export interface PluginContext {
  /** Name of the plugin being registered. */
  readonly plugin: string;
  /** Version of @engram/core running the plugin. */
  readonly coreVersion: string;
  lagrangian(id: string, create: (params: JsonObject) => Lagrangian, description?: string): void;
  synapse(id: string, create: (config: JsonObject) => Hypersynapse, description?: string): void;
  model(id: string, create: (config: JsonObject, engram: Engram) => EngramModel | Promise<EngramModel>, description?: string): void;
  dataset(id: string, load: (options: JsonObject, engram: Engram) => Promise<unknown>, description?: string): void;
  command(
    name: string,
    run: (args: readonly string[], io: CommandIO, engram: Engram) => Promise<number>,
    info?: { description?: string; usage?: string },
  ): void;
}

/**
 * An engram plugin: a plain object, as plain as a Rollup plugin. The default
 * export of a plugin package.
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
