/**
 * @engram/camelot — CAMELoT (He, Karlinsky, Kim, McAuley, Krotov, Feris,
 * arXiv 2402.13449): a training-free consolidated associative memory that
 * attaches to a frozen attention language model and gives it long context;
 * with engram's own frozen base model, a small character GPT trained on the
 * Brown corpus, the baselines (window only, FIFO cache, unbounded memory) and
 * the experiments.
 *
 * @packageDocumentation
 */
import { camelotPlugin } from './plugin.js';
import type { Gpt } from './models/gpt.js';
import type { GptConfigInput } from './models/gpt-config.js';

export { camelotPlugin } from './plugin.js';
export { Gpt, GPT_KIND } from './models/gpt.js';
export { gptConfigSchema, BROWN_VOCABULARY, type GptConfig, type GptConfigInput } from './models/gpt-config.js';
export { gptTrainingSchema, sampleWindows, encodedBrown, type GptTrainingSettings } from './models/gpt-training.js';
export { CharTokenizer, vocabularyOf } from './internal/char-tokenizer.js';
export { loadBrownDocuments, brownSplit, detokenizeBrown, type BrownDocument } from './internal/brown.js';
export { defaultCheckpoint, loadGpt } from './internal/checkpoint.js';
export { weightsFingerprint } from './internal/fingerprint.js';
export { layerNorm, gelu, rotaryTables, applyRotary, attention, causalMask, crossEntropy, tokenLosses, type RotaryTables } from './internal/nn-ops.js';
export type { AttentionHook, AttentionLayerShape, AttentionLayerView, AttentionModel, MemoryEntries, MemoryPlacement } from './memory/attention-hook.js';
export { memoryConfigSchema, type MemoryConfig, type MemoryConfigInput } from './memory/memory-config.js';
export { SlotStore, type StoreStats, type StoreData } from './memory/slot-store.js';
export { retrieveEntries } from './memory/retrieval.js';
export { CamelotMemory, type LayerMemoryState, type WindowHook } from './memory/camelot-memory.js';
export { serializeMemory, deserializeMemory, saveMemory, loadMemory, MEMORY_FORMAT, MEMORY_FORMAT_VERSION, type MemoryJson, type StoreJson } from './memory/memory-serialization.js';
export { streamDocuments, type StreamOptions, type StreamStep } from './memory/stream-document.js';
export { methodList, type Method, type MethodListOptions } from './experiments/methods.js';
export { longContextExperiment, type LongContextOptions, type LongContextResult, type MethodResult } from './experiments/long-context.js';
export { collectLosses, type Collected } from './experiments/collect.js';
export { plantedRepeat, type PlantedRepeatOptions, type PlantedRepeatResult } from './experiments/planted-repeat.js';
export { iclProbe, iclStreams, type IclOptions, type IclScore } from './experiments/icl-probe.js';
export { trainBrownGpt, BROWN_GPT_CONFIG, type TrainBrownGptOptions, type TrainingPhase, type TrainingReport } from './experiments/train-brown-gpt.js';
export { camelotCommandOptions, runCamelotCommand, writeOutputs, type CamelotCommandOptions, type CamelotRunResult } from './commands/camelot-command.js';
export { trainCommandOptions, runTrainCommand } from './commands/train-command.js';
export { formatMethodTable, formatIclTable } from './commands/tables.js';

declare module '@engram/core' {
  interface ModelKinds {
    'camelot/gpt': { config: GptConfigInput; model: Gpt };
  }
}

export default camelotPlugin;
