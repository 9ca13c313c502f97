/**
 * Location of the data files committed with @engram/data. Resolved from this
 * module's URL: src/node (run from sources) and dist/node (built) are both two levels
 * below the package root, so '../../fixtures/' is the same directory from either.
 */
import { fileURLToPath } from 'node:url';

/** Directory of the committed Fashion-MNIST subset (same file names as the full set, plus subset.json). */
export const FASHION_MNIST_SUBSET_DIR: string = fileURLToPath(new URL('../../fixtures/fashion-mnist-subset/', import.meta.url));
