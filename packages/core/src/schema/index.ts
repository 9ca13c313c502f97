export { z } from 'zod';
export { parseConfig, type Schema } from './parse-config.js';
export { toJsonSchema, type JsonSchema } from './json-schema.js';
export { closestWord, editDistance } from './suggest.js';
