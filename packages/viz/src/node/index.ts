/**
 * @engram/viz/node — writing plots and images to files (Node only). Everything
 * that builds them (SVG and HTML strings, PNG bytes) is in the main entry,
 * `@engram/viz`, which imports no Node built-in and bundles for browsers.
 *
 * @packageDocumentation
 */
export { writePng, writeText } from './write.js';
