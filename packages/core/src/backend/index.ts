export { initBackend, isBackendAvailable, type BackendName, type BackendOptions } from './backend.js';
export { backendInfo, type BackendInfo } from './backend-info.js';
export { installWasmFastPath, uninstallWasmFastPath, wasmFastPathInstalled } from './wasm-fast-path.js';
