/**
 * The composed model as JSON: a 'core/graph' config whose synapse kinds come
 * from different plugins. Because it is plain data resolved through the
 * registry, the same config is what a saved model file holds, so `engram run`
 * and `engram serve` rebuild it with no code of this example.
 *
 *   image [784]  (core/identity, clamped to the input)
 *     │  embed: core/dense 784 → tokens        (a learned, position-specific embedding)
 *   tokens [T, D] (core/layernorm per token, trainable gamma and delta: ET-style)
 *     ├─ attention: energy-transformer/attention   (ET energy attention between the tokens)
 *     ├─ memory:    core/memory                     (a Hopfield memory of whole token configurations)
 *     │  readout: core/dense T·D → 10
 *   label [10]   (core/softmax) ── bias: core/bias
 */
import type { GraphConfigInput, JsonObject } from '@engram/core';

/** Layer names of the composed graph (also its state's keys and energy-tree terms). */
export const IMAGE = 'image';
export const TOKENS = 'tokens';
export const LABEL = 'label';

/** Pixels of a Fashion-MNIST image. */
export const IMAGE_SIZE = 784;
/** Fashion-MNIST classes. */
export const CLASSES = 10;

/** The memory synapse kinds the composed config can use. */
export type MemoryKind = 'core/memory' | 'energy-transformer/hopfield';

/** Sizes and seeds of the composed model (all optional). */
export interface ComposedOptions {
  /** Tokens T (default 16: one per 7x7 patch of the 28x28 image, though the dense embedding lets every token see every pixel). */
  tokens?: number;
  /** Token width D (default 12; see the README for why not 16: the model must fit a serve request). */
  tokenSize?: number;
  /** Attention heads (default 2; head size D / heads). */
  heads?: number;
  /**
   * The memory synapse's kind: 'core/memory' (default) sees the whole token layer
   * as one pattern; 'energy-transformer/hopfield' is the ET's per-token memory (summed over tokens).
   */
  memoryKind?: MemoryKind;
  /** Stored patterns of the memory synapse (default 64). */
  memories?: number;
  /** Inverse temperature of the memory's log-sum-exp (default 1). */
  memoryBeta?: number;
  /** Init std of the attention's keys and queries (default 0.02: the plugin's 0.002 starts them so small that their gradients vanish). */
  attentionStd?: number;
  /** Base seed of every initialisation (default 0). */
  seed?: number;
}

/** The memory synapse entry of the config: one log-sum-exp memory, over the whole layer or per token. */
function memorySynapse(kind: MemoryKind, T: number, D: number, memories: number, beta: number, seed: number): NonNullable<GraphConfigInput['synapses']>[number] {
  const config: JsonObject =
    kind === 'core/memory'
      ? { memories, size: T * D, beta, seed }
      : // The same log-sum-exp form per token (the ET's default is its ReLU form).
        { memories, size: D, separation: { kind: 'lse', beta }, seed };
  return { name: 'memory', kind, layers: [TOKENS], config };
}

/** The composed model's 'core/graph' config (every size resolved). */
export function composedConfig(options: ComposedOptions = {}): GraphConfigInput {
  const T = options.tokens ?? 16;
  const D = options.tokenSize ?? 12;
  const heads = options.heads ?? 2;
  const seed = options.seed ?? 0;
  const width = T * D;
  return {
    layers: [
      // The input layer comes first: the model protocol (engram run, the playground's data) feeds the first layer.
      { name: IMAGE, shape: [IMAGE_SIZE], lagrangian: { kind: 'core/identity' } },
      { name: TOKENS, shape: [T, D], lagrangian: { kind: 'core/layernorm', params: { size: D, trainable: true } } },
      { name: LABEL, shape: [CLASSES], lagrangian: { kind: 'core/softmax' } },
    ],
    synapses: [
      { name: 'embed', kind: 'core/dense', layers: [IMAGE, TOKENS], config: { inSize: IMAGE_SIZE, outSize: width, seed: seed + 1 } },
      { name: 'attention', kind: 'energy-transformer/attention', layers: [TOKENS], config: { size: D, heads, std: options.attentionStd ?? 0.02, seed: seed + 2 } },
      memorySynapse(options.memoryKind ?? 'core/memory', T, D, options.memories ?? 64, options.memoryBeta ?? 1, seed + 3),
      { name: 'readout', kind: 'core/dense', layers: [TOKENS, LABEL], config: { inSize: width, outSize: CLASSES, seed: seed + 4 } },
      { name: 'bias', kind: 'core/bias', layers: [LABEL], config: { size: CLASSES } },
    ],
  };
}
