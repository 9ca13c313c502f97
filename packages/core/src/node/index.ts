/** Node-only file access (also the `@engram/core/node` entry). */
export { readRegularFile, readRegularFileSync, fileBesideSpec, writeFileAtomic, syncFolder, removeFile, type ReadFileOptions } from './safe-file.js';
