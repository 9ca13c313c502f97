/**
 * @engram/playground — the playground's run logic (shared by the page and by
 * `engram serve`, which runs the same requests on the Node side) and the
 * location of its built page.
 *
 * @packageDocumentation
 */
export type { KindInfo, DataChoice, CueChoice, RunRequest, RunEvent, RunHandle, Runner, StateImages } from './protocol.js';
export { kindsOf } from './kinds.js';
export { loadSamples, type Samples } from './samples.js';
export { startRun, stateImages } from './run-request.js';
export { toBase64, fromBase64 } from './model-files.js';
