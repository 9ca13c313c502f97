export type { TrainEvent } from './train-event.js';
export { trainStream, type TrainOptions } from './train.js';
export { trainModel, optimizerFor, trainableVariables, type TrainModelOptions } from './train-model.js';
