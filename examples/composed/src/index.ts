/**
 * Example (d): one energy graph composed across plugins from a JSON config —
 * an image layer, an ET-style token layer on core's layer norm, the Energy
 * Transformer's attention synapse, core's memory synapse and core dense
 * synapses to a label layer — trained through its unrolled dynamics on
 * Fashion-MNIST, streamed, saved and reloaded, and run by engram run / serve.
 *
 * @packageDocumentation
 */
export { composedConfig, IMAGE, TOKENS, LABEL, IMAGE_SIZE, CLASSES, type ComposedOptions, type MemoryKind } from './config.js';
export { composedEngram, createComposedModel } from './engram.js';
export { predict, crossEntropy, predictLabels, accuracy, DEFAULT_DESCENT, type DescentSettings } from './classify.js';
export { trainClassifier, type TrainClassifierOptions, type LabelledImages } from './train.js';
export { streamDescent, formatEnergyTree, type DescentTrace, type StreamDescentOptions } from './descent.js';
export { runComposedExample, type ComposedRunOptions, type ComposedRunResult } from './run.js';
