/**
 * @engram/camelot — CAMELoT (He, Karlinsky, Kim, McAuley, Krotov, Feris,
 * arXiv 2402.13449): a training-free consolidated associative memory that
 * attaches to a frozen attention language model and gives it long context;
 * with engram's own frozen base model, a small subword GPT trained on the
 * Brown corpus, the baselines (window only, FIFO cache, unbounded memory) and
 * the experiments.
 *
 * This entry imports no Node built-in, so it bundles for browsers: the GPT
 * (its checkpoints from bytes or a URL), the memory (its state to and from
 * bytes), the experiments on encoded documents. Reading the Brown corpus and
 * checkpoints from disk, memory files, training the checkpoint, the commands
 * and a plugin of the same name that registers the corpus and the commands
 * are in `@engram/camelot/node`.
 *
 * @packageDocumentation
 */
import { camelotPlugin } from './plugin.js';
import type { Gpt } from './models/gpt.js';
import type { GptConfigInput } from './models/gpt-config.js';

export { camelotPlugin } from './plugin.js';
export { Gpt, GPT_KIND } from './models/gpt.js';
export { gptConfigSchema, BROWN_VOCABULARY, type GptConfig, type GptConfigInput } from './models/gpt-config.js';
export { gptTrainingSchema, sampleWindows, encodeSplit, encodedDocuments, type EncodedSplit, type GptTrainingSettings } from './models/gpt-training.js';
export { CharTokenizer, vocabularyOf } from './internal/char-tokenizer.js';
export { SubwordTokenizer } from './internal/subword-tokenizer.js';
export { tokenizerFor, characterIds, tokenOffsets, type Tokenizer } from './internal/tokenizer.js';
export { detokenizeBrown, splitBrown, HELD_OUT_PHASE, type BrownDocument } from './internal/brown.js';
export { BROWN_DATASET, textDataset, datasetTexts } from './internal/brown-dataset.js';
export { COMMITTED_CHECKPOINT, gptFromArtifacts, loadGptFromUrl, type FetchLike } from './internal/checkpoint.js';
export { weightsFingerprint } from './internal/fingerprint.js';
export { layerNorm, gelu, rotaryTables, applyRotary, rotateBefore, smearKeys, attention, causalMask, crossEntropy, tokenLosses, type RotaryTables } from './internal/nn-ops.js';
export type { AttentionHook, AttentionLayerShape, AttentionLayerView, AttentionModel, MemoryEntries, MemoryPlacement } from './memory/attention-hook.js';
export { memoryConfigSchema, type MemoryConfig, type MemoryConfigInput } from './memory/memory-config.js';
export { SlotStore, type StoreStats, type StoreData } from './memory/slot-store.js';
export { retrieveEntries } from './memory/retrieval.js';
export { CamelotMemory, type LayerMemoryState, type WindowHook } from './memory/camelot-memory.js';
export { serializeMemory, deserializeMemory, memoryToBytes, memoryFromBytes, MEMORY_FORMAT, MEMORY_FORMAT_VERSION, type MemoryJson, type StoreJson } from './memory/memory-serialization.js';
export { streamDocuments, type StreamOptions, type StreamStep } from './memory/stream-document.js';
export { methodList, type Method, type MethodListOptions } from './experiments/methods.js';
export { longContextExperiment, type LongContextOptions, type LongContextResult, type MethodResult } from './experiments/long-context.js';
export { collectLosses, type Collected } from './experiments/collect.js';
export { plantedRepeat, type PlantedRepeatOptions, type PlantedRepeatResult } from './experiments/planted-repeat.js';
export { iclProbe, iclStreams, type IclOptions, type IclScore } from './experiments/icl-probe.js';
export { formatMethodTable, formatIclTable } from './experiments/tables.js';

declare module '@engram/core' {
  interface ModelKinds {
    'camelot/gpt': { config: GptConfigInput; model: Gpt };
  }
}

export default camelotPlugin;
