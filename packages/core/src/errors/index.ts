export { ErrorCodes, type ErrorCode } from './codes.js';
export { EngramError, isEngramError, type ErrorDetails } from './engram-error.js';
export * as errors from './factories.js';
