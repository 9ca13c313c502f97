export { initBackend, isBackendAvailable, type BackendName, type BackendOptions } from './backend.js';
export { installWasmFastPath, uninstallWasmFastPath, wasmFastPathInstalled } from './wasm-fast-path.js';
