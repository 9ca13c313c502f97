export * from './schedules.js';
export * from './denoiser.js';
export * from './exact.js';
export * from './score-model.js';
export * from './samplers.js';
export * from './images.js';
