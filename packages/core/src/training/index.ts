export type { TrainEvent } from './train-event.js';
export { trainStream, type TrainOptions } from './train.js';
