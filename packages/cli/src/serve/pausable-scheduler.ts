/** The live view's scheduler is core's (shared with the playground). */
export { PausableScheduler } from '@engram/core';
