/**
 * `EnergyTransformerLayer`: one Energy Transformer block as a tf.layers layer.
 * Its weights are created by `addWeight` (so `model.fit` trains them and
 * `tf.io` saves them) under the block model's variable names, and its forward
 * pass is the block's own unrolled descent: the same energy graph (token layer
 * on a layer norm, the plugin's attention and Hopfield synapses on the
 * layer's weights), the same ET update (internal/token-descent.ts) and core's
 * `integrate`. Only the layer norm is composed here, from core's layernorm
 * Lagrangian with the layer's gain and bias, because core's factory owns the
 * variables it creates.
 */
import * as tf from '@tensorflow/tfjs';
import { defineLagrangian, EnergyGraph, errors, integrate, lagrangians, ops, parseConfig, z, type Lagrangian } from '@engram/core';
import { attentionSynapseOn, type LogMaskSource } from '../internal/attention.js';
import { diagonalLogMask } from '../internal/attention-mask.js';
import { hopfieldForm, hopfieldSynapseOn } from '../internal/hopfield.js';
import { json } from '../internal/json.js';
import { tokenDescentSystem } from '../internal/token-descent.js';
import { BLOCK_DEFAULTS, blockFields, resolveBlockConfig, type BlockConfig } from '../models/block-schema.js';
import { TOKENS } from '../models/block.js';
import { ATTENTION_KIND, type AttentionConfig } from '../synapses/attention.js';
import { HOPFIELD_KIND, type HopfieldConfig } from '../synapses/hopfield.js';

/** Options of {@link EnergyTransformerLayer}: a block's keys without `tokens` and `size` (read from the input). */
export const energyTransformerLayerSchema = z.strictObject({
  ...blockFields(BLOCK_DEFAULTS),
  seed: z.number().int().optional().describe('seed of the initial weights (default: unseeded, as tf.layers initializers)'),
});

/** The arguments every tf.layers layer takes (name, inputShape, trainable, ...). */
export type EtLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of an {@link EnergyTransformerLayer} as written, with tf.layers' own arguments. */
export type EnergyTransformerLayerArgs = z.input<typeof energyTransformerLayerSchema> & EtLayerArgs;

/** Parsed options of an {@link EnergyTransformerLayer}. */
export type EnergyTransformerLayerOptions = z.output<typeof energyTransformerLayerSchema>;

const LAYER_ARG_KEYS = ['inputShape', 'batchInputShape', 'batchSize', 'dtype', 'name', 'trainable', 'weights', 'inputDType'];
/** Added to a saved config by tf.layers' deserializer; not an option. */
const DESERIALIZER_KEYS = ['customObjects'];

/**
 * An Energy Transformer block as a tf.layers layer: tokens [batch, tokens,
 * size] -> the tokens after `maxSteps` descent steps of size `dt` (same
 * shape). Weights, named as the block model's variables: 'tokens/gamma' (scalar)
 * and 'tokens/delta' [size] of the layer norm, 'attention/keys' and
 * 'attention/queries' [heads, headSize, size], 'hopfield/patterns' [memories, size].
 *
 * @example
 * const model = tf.sequential({ layers: [
 *   new EnergyTransformerLayer({ inputShape: [6, 8], heads: 2, memories: 16, maxSteps: 3 }),
 *   tf.layers.flatten(),
 *   tf.layers.dense({ units: 1 }),
 * ] });
 */
export class EnergyTransformerLayer extends tf.layers.Layer {
  /** The class name in a saved model's topology (tf.serialization.registerClass registers it, package 'engram'). */
  static readonly className = 'EnergyTransformerLayer';
  /** The options as parsed (tokens and size are read from the input at build). */
  readonly options: EnergyTransformerLayerOptions;
  private resolved: BlockConfig | undefined;
  private graph: EnergyGraph | undefined;
  private readonly vars = new Map<string, tf.LayerVariable>();

  constructor(args: EnergyTransformerLayerArgs = {}) {
    const layer: Record<string, unknown> = {};
    const own: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      if (LAYER_ARG_KEYS.includes(k)) layer[k] = v;
      else if (!DESERIALIZER_KEYS.includes(k)) own[k] = v;
    }
    const options = parseConfig(energyTransformerLayerSchema, own, EnergyTransformerLayer.className);
    super(layer as EtLayerArgs);
    this.options = options;
  }

  /** The block settings with tokens and size (after build). */
  get config(): BlockConfig {
    if (!this.resolved) throw errors.invalidArgument(`config of layer '${this.name}'`, 'read after the layer is built (called once or added to a model)', 'an unbuilt layer');
    return this.resolved;
  }

  /** The weights by the block model's variable names (empty before build). */
  weightsByName(): Record<string, tf.LayerVariable> {
    return Object.fromEntries(this.vars);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [tokens, size] = [shape[1], shape[2]];
    if (shape.length !== 3 || tokens == null || size == null) throw errors.shapeMismatch(`input of layer '${this.name}'`, ['batch', 'tokens', 'size'], shape.map((d) => d ?? -1));
    const o = this.options;
    const c = resolveBlockConfig({ ...o, tokens, size, seed: o.seed ?? 0 });
    if (c.excludeDiagonal && tokens < 2) throw errors.invalidArgument(`${EnergyTransformerLayer.className} tokens`, 'at least 2 when the diagonal is excluded', tokens);
    this.resolved = c;
    let seed = o.seed;
    const normal = (std: number) => tf.initializers.randomNormal({ mean: 0, stddev: std, seed: seed === undefined ? undefined : seed++ });
    const add = (name: string, s: number[], init: ReturnType<typeof tf.initializers.zeros>) => this.vars.set(name, this.addWeight(name, s, 'float32', init));
    add('tokens/gamma', [], tf.initializers.ones());
    add('tokens/delta', [size], tf.initializers.zeros());
    add('attention/keys', [c.heads, c.headSize, size], normal(c.attentionStd));
    add('attention/queries', [c.heads, c.headSize, size], normal(c.attentionStd));
    add('hopfield/patterns', [c.memories, size], normal(c.hopfieldStd));
    this.graph = this.makeGraph(c);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const c = this.config;
      if (x.rank !== 3 || x.shape[1] !== c.tokens || x.shape[2] !== c.size) throw errors.shapeMismatch(`tokens of layer '${this.name}'`, ['batch', c.tokens, c.size], x.shape);
      // The step energies of an unrolled descent are discarded: the graph's synapses skip them.
      const system = tokenDescentSystem(this.graph!, { leak: c.leak, energyTree: false, report: false });
      return integrate(system, { [TOKENS]: x }, { steps: c.maxSteps, dt: c.dt })[TOKENS]!;
    });
  }

  /** The options (as parsed) and tf.layers' own keys: what `tf.loadLayersModel` rebuilds the layer from. */
  override getConfig(): tf.serialization.ConfigDict {
    const own = JSON.parse(JSON.stringify(this.options)) as tf.serialization.ConfigDict;
    return { ...own, ...super.getConfig() };
  }

  /** The block's graph on this layer's weights (never disposed: the layer's weights are tf.layers'). */
  private makeGraph(c: BlockConfig): EnergyGraph {
    const variable = (name: string) => this.vars.get(name)!.read() as tf.Variable;
    const attention: AttentionConfig = { size: c.size, heads: c.heads, headSize: c.headSize, beta: c.beta, excludeDiagonal: c.excludeDiagonal, std: c.attentionStd, seed: c.seed };
    const hopfield: HopfieldConfig = { size: c.size, memories: c.memories, separation: c.separation, std: c.hopfieldStd, seed: c.seed };
    const mask: LogMaskSource = (tokens) => (c.excludeDiagonal ? diagonalLogMask(tokens) : null);
    const weights = { keys: variable('attention/keys'), queries: variable('attention/queries') };
    return new EnergyGraph()
      .addLayer(TOKENS, { shape: [c.tokens, c.size], lagrangian: this.layerNorm(c.eps, variable('tokens/gamma'), variable('tokens/delta')) })
      .addSynapse('attention', attentionSynapseOn(ATTENTION_KIND, json(attention), attention, weights, mask, false), [TOKENS])
      .addSynapse('hopfield', hopfieldSynapseOn(HOPFIELD_KIND, json(hopfield), c.size, hopfieldForm(c.separation, EnergyTransformerLayer.className), variable('hopfield/patterns'), false), [TOKENS]);
  }

  /** Core's layernorm Lagrangian (gamma 1, delta 0) scaled by gamma and shifted by delta: L = gamma L_1 + delta . x, g = gamma g_1 + delta. */
  private layerNorm(eps: number, gamma: tf.Variable, delta: tf.Variable): Lagrangian {
    const unit = lagrangians.layernorm({ eps });
    return defineLagrangian({
      kind: 'energy-transformer/layer-norm',
      params: { eps },
      lagrangian: (x) => tf.add(tf.mul(unit.lagrangian(x), gamma), ops.sumPerSample(tf.mul(x, delta))) as tf.Tensor1D,
      activation: (x) => tf.add(tf.mul(unit.activation(x), gamma), delta),
    });
  }
}

tf.serialization.registerClass(EnergyTransformerLayer, 'engram');
