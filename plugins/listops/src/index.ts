/**
 * @engram/listops — ListOps (nested MIN / MAX / MED / SUM mod n expressions)
 * and the question of Both, Hoover, Strobelt, Krotov, Weidele, Martino and
 * Dehmamy (arXiv 2505.18369): how many parameters does a small transformer
 * need to learn each operation, and how does joint training change that? A
 * seeded generator with de-duplicated splits and a tokenizer, a small
 * transformer on core's model protocol ('listops/transformer') with parameter
 * counting, training as an RxJS stream with early stopping, and the study as
 * the command `engram listops` (from `@engram/listops/node`, which also runs
 * the study with its results on disk).
 *
 * @packageDocumentation
 */
import type { ListOpsTransformer } from './models/transformer.js';
import type { TransformerConfigInput } from './models/transformer-config.js';

export * from './listops/index.js';
export { ListOpsTransformer, TRANSFORMER_KIND } from './models/transformer.js';
export { transformerConfigSchema, transformerShape, type TransformerConfig, type TransformerConfigInput, type TransformerShape } from './models/transformer-config.js';
export { countParameters, parameterSpecs } from './models/parameters.js';
export { forwardLogits, forwardSequenceLogits, crossEntropy, maskedCrossEntropy, gelu, type ForwardOptions, type TransformerParams } from './models/forward.js';
export { decodeChainOfThought, type DecodeResult } from './models/decode.js';
export {
  transformerTrainingSchema,
  encodedBatches,
  type TransformerBatch,
  type TransformerTrainingFace,
  type TransformerTrainingSettings,
} from './models/transformer-training.js';
export { STUDY_TASKS, taskDefinition, taskOperators, type StudyTask, type TaskDefinition, type TaskPhase } from './experiments/tasks.js';
export { StudyData, type DataSizes, type PhaseData } from './experiments/task-data.js';
export { trainPhase, checkPhaseSettings, type PhaseSettings, type PhaseOutcome, type PhaseEvent, type StopReason } from './experiments/train-phase.js';
export { analyseDigitEmbeddings, principalComponents, chanceScores, type EmbeddingAnalysis } from './experiments/embedding-analysis.js';
export { ablate, sublayerMeans, type AblationResult } from './experiments/ablation.js';
export { seedThreshold, medianThreshold, type AccuracyPoint } from './experiments/thresholds.js';
export { runOne, runKey, type RunConfig, type RunRecord, type RunProgress, type RunDone } from './experiments/run-one.js';
export { FULL_STUDY, QUICK_STUDY, studyOptionsSchema, resolveStudySettings, type StudySettings, type StudyOptions } from './experiments/study-settings.js';
export { summarize, type StudySummary, type TaskSummary, type TaskThreshold, type WidthRow, type Finding, type AnalysisSummary } from './experiments/summary.js';
export { summaryMarkdown, studyReportFiles, pcaPlotSvg } from './experiments/report.js';
export { listOpsPlugin, listOpsPlugin as default } from './plugin.js';

declare module '@engram/core' {
  interface ModelKinds {
    'listops/transformer': { config: TransformerConfigInput; model: ListOpsTransformer };
  }
}
