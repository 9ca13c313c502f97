export { AmClassifier, type ClassifierOptions } from './classifier.js';
export { runClassifierExample, type ClassifierRunOptions, type ClassifierRunResult } from './run.js';
