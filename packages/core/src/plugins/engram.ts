import { Container, ContainerModule } from 'inversify';
import { EngramError, ErrorCodes, errors } from '../errors/index.js';
import { isArrayDataset, type ArrayDataset } from '../dataset.js';
import type { JsonObject } from '../numerics/tensor-input.js';
import type { Lagrangian } from '../lagrangians/lagrangian.js';
import { isModel, type Model } from '../model/model.js';
import { parseConfig } from '../schema/parse-config.js';
import { toJsonSchema, type JsonSchema } from '../schema/json-schema.js';
import type { Hypersynapse } from '../synapses/hypersynapse.js';
import { ContributionProvider } from './contribution-provider.js';
import {
  CommandContribution,
  contributionPoints,
  DatasetContribution,
  LagrangianContribution,
  ModelContribution,
  SynapseContribution,
  type ContributionBase,
  type ContributionPoint,
} from './contributions.js';
import type { EngramPlugin, PluginContext } from './plugin.js';
import { guard } from './guard.js';

/** A loaded plugin and what it contributes, for listings. */
export interface PluginInfo {
  name: string;
  version: string;
  description?: string;
  engram: string;
  dependencies: string[];
  contributes: Record<ContributionPoint, string[]>;
}

type AnyContribution = ContributionBase & { point: symbol };

/** Collects one plugin's contributions through its register hook. */
function collect(plugin: EngramPlugin, coreVersion: string): { ctx: PluginContext; items: AnyContribution[] } {
  const items: AnyContribution[] = [];
  const seen = new Set<string>();
  const add = (point: symbol, local: string, extra: object, description?: string): void => {
    if (typeof local !== 'string' || local.length === 0 || local.includes('/')) {
      throw errors.invalidArgument(`id contributed by plugin '${plugin.name}'`, "a non-empty local id without '/'", local);
    }
    const id = `${plugin.name}/${local}`;
    const key = `${point.toString()}:${id}`;
    if (seen.has(key)) {
      throw new EngramError(ErrorCodes.DUPLICATE_ID, `plugin '${plugin.name}' contributes '${id}' twice: give each contribution its own id`, {
        plugin: plugin.name,
        id,
      });
    }
    seen.add(key);
    items.push({ point, id, plugin: plugin.name, ...(description !== undefined ? { description } : {}), ...extra });
  };
  const ctx: PluginContext = {
    plugin: plugin.name,
    coreVersion,
    lagrangian: (id, d) => add(LagrangianContribution, id, { schema: d.schema, create: d.create }, d.description),
    synapse: (id, d) => add(SynapseContribution, id, { schema: d.schema, create: d.create }, d.description),
    model: (id, d) => add(ModelContribution, id, { schema: d.schema, create: d.create, example: d.example }, d.description),
    dataset: (id, d) => add(DatasetContribution, id, { schema: d.schema, load: d.load }, d.description),
    command: (name, d) =>
      add(
        CommandContribution,
        name,
        { name, run: d.run, options: d.options, positionals: d.positionals ?? [], ...(d.details !== undefined ? { details: d.details } : {}) },
        d.description,
      ),
  };
  return { ctx, items };
}

/**
 * A loaded set of plugins: resolves Lagrangians, synapse kinds, model
 * factories, data sets and commands by string id (e.g. 'hopfield/modern').
 * Made by {@link createEngram}; users never touch the inversify container.
 */
export class Engram {
  private readonly container = new Container();
  private readonly loaded: PluginInfo[] = [];
  private readonly providers = new Map<ContributionPoint, ContributionProvider<ContributionBase>>();

  /** @internal use {@link createEngram}. */
  constructor(readonly coreVersion: string) {
    for (const [name, sym] of Object.entries(contributionPoints)) {
      this.providers.set(name as ContributionPoint, new ContributionProvider<ContributionBase>(this.container, sym));
    }
  }

  /** @internal registers one plugin (range and dependencies already checked) as an inversify ContainerModule. */
  async registerPlugin(plugin: EngramPlugin): Promise<void> {
    const { ctx, items } = collect(plugin, this.coreVersion);
    await guard(plugin.name, 'register', () => plugin.register(ctx));
    for (const item of items) {
      const point = Object.entries(contributionPoints).find(([, s]) => s === item.point)![0] as ContributionPoint;
      if (this.find(point, item.id)) {
        throw new EngramError(ErrorCodes.DUPLICATE_ID, `'${item.id}' is contributed twice (by plugin '${plugin.name}' and an earlier one)`, {
          plugin: plugin.name,
          id: item.id,
        });
      }
    }
    this.container.load(
      new ContainerModule(({ bind }) => {
        for (const item of items) bind(item.point).toConstantValue(item);
      }),
    );
    for (const p of this.providers.values()) p.invalidate();
    const contributes = Object.fromEntries(
      Object.entries(contributionPoints).map(([name, sym]) => [name, items.filter((i) => i.point === sym).map((i) => i.id)]),
    ) as Record<ContributionPoint, string[]>;
    const info: PluginInfo = { name: plugin.name, version: plugin.version, engram: plugin.engram, dependencies: [...(plugin.dependencies ?? [])], contributes };
    if (plugin.description !== undefined) info.description = plugin.description;
    this.loaded.push(info);
  }

  /** Loaded plugins in load order, with what each contributes. */
  plugins(): readonly PluginInfo[] {
    return this.loaded;
  }

  /** Every id registered at a contribution point. */
  ids(point: ContributionPoint): string[] {
    return this.providers.get(point)!.getContributions().map((c) => c.id);
  }

  /** The contribution with this id at this point, or undefined. */
  find<P extends ContributionPoint>(point: P, id: string): PointType[P] | undefined {
    return this.providers.get(point)!.getContributions().find((c) => c.id === id) as PointType[P] | undefined;
  }

  /** The contribution with this id at this point; throws ENGRAM_ERR_UNKNOWN_KIND listing the known ids. */
  get<P extends ContributionPoint>(point: P, id: string): PointType[P] {
    const c = this.find(point, id);
    if (!c) throw errors.unknownKind(point, id, this.ids(point));
    return c;
  }

  /** Builds a Lagrangian by id, e.g. lagrangian('core/softmax', { beta: 2 }); params are checked against its schema. */
  lagrangian(id: string, params: JsonObject = {}): Lagrangian {
    const c = this.get('lagrangian', id);
    const parsed = parseConfig(c.schema, params, id, 'params');
    return guard(c.plugin, `lagrangian '${id}'`, () => c.create(parsed as never));
  }

  /** Builds a hypersynapse by id, e.g. synapse('core/dense', { inSize: 784, outSize: 10 }); the config is checked against its schema. */
  synapse(id: string, config: JsonObject = {}): Hypersynapse {
    const c = this.get('synapse', id);
    const parsed = parseConfig(c.schema, config, id);
    return guard(c.plugin, `synapse '${id}'`, () => c.create(parsed as never));
  }

  /**
   * Builds a model by id, e.g. createModel('hopfield/modern', { size: 784, beta: 2 }).
   * The config is checked against the kind's schema first (unknown keys, wrong
   * types and out-of-range values are ENGRAM_ERR_INVALID_CONFIG naming the key).
   * Ids declared in {@link ModelKinds} (by the plugin packages you import) give
   * a typed config and a typed model.
   */
  async createModel<K extends string, M extends Model = KindModel<K>>(id: K, config?: KindConfig<K>): Promise<M>;
  async createModel(id: string, config: object = {}): Promise<Model> {
    const c = this.get('model', id);
    const parsed = parseConfig(c.schema, config, id);
    const model = await guard(c.plugin, `model '${id}'`, () => c.create(parsed as never, this));
    if (!isModel(model) || model.kind !== id) {
      if (isModel(model)) model.dispose();
      throw new EngramError(
        ErrorCodes.PLUGIN_HOOK,
        `plugin '${c.plugin}' failed in model '${id}': its factory must return a Model (see ModelBase) whose kind is '${id}'`,
        { plugin: c.plugin, hook: `model '${id}'` },
      );
    }
    return model;
  }

  /** The JSON Schema of a kind's config (model, synapse or Lagrangian params), for specs, docs and forms. */
  configSchema(point: 'model' | 'synapse' | 'lagrangian' | 'dataset', id: string): JsonSchema {
    return toJsonSchema(this.get(point, id).schema);
  }

  /** Loads a data set by id; options are checked against its schema. */
  async dataset(id: string, options: JsonObject = {}): Promise<ArrayDataset> {
    const c = this.get('dataset', id);
    const parsed = parseConfig(c.schema, options, id, 'options');
    const set = await guard(c.plugin, `dataset '${id}'`, () => c.load(parsed as never, this));
    if (!isArrayDataset(set)) {
      throw new EngramError(ErrorCodes.PLUGIN_HOOK, `plugin '${c.plugin}' failed in dataset '${id}': it must resolve to an ArrayDataset { count, shape, data, labels? }`, {
        plugin: c.plugin,
        hook: `dataset '${id}'`,
      });
    }
    return set;
  }

  /** Every contributed CLI command. */
  commands(): readonly CommandContribution[] {
    return this.providers.get('command')!.getContributions() as readonly CommandContribution[];
  }
}

/**
 * Typed model ids: plugin packages declare their kinds here by module
 * augmentation, so that `createModel('hopfield/modern', { size: 4 })` checks the
 * config and returns the model's class:
 *
 * ```ts
 * declare module '@engram/core' {
 *   interface ModelKinds { 'hopfield/modern': { config: ModernHopfieldConfig; model: ModernHopfield } }
 * }
 * ```
 */
export interface ModelKinds {
  'core/graph': { config: import('../model/graph-from-config.js').GraphConfigInput; model: import('../model/energy-model.js').EnergyModel };
}

/** The config type of a model id: typed for ids in {@link ModelKinds}, any JSON-like object otherwise. */
export type KindConfig<K extends string> = K extends keyof ModelKinds ? ModelKinds[K]['config'] : object;
/** The model type of a model id: the declared class for ids in {@link ModelKinds}, {@link Model} otherwise. */
export type KindModel<K extends string> = K extends keyof ModelKinds ? ModelKinds[K]['model'] : Model;

/** The contribution type of each point. */
export interface PointType {
  lagrangian: LagrangianContribution;
  synapse: SynapseContribution;
  model: ModelContribution;
  dataset: DatasetContribution;
  command: CommandContribution;
}
