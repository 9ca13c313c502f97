export { initBackend, isBackendAvailable, type BackendName, type BackendOptions } from './backend.js';
