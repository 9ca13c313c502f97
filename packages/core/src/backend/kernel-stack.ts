/**
 * engram's kernel overrides, as ordered layers over tfjs' stock kernels.
 *
 * Several fixes wrap the same kernel (BatchMatMul: the batch-broadcast fix,
 * then the wasm fast path, then the native BLAS path on top); each layer is a
 * function from the kernel below it to a new kernel, and turning any layer on
 * or off rebuilds the stack from the stock kernel in a fixed order, so that
 * toggles in any order (tests do) never lose or duplicate a layer.
 */
import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** One layer: for each kernel it overrides, a wrapper of the kernel below. */
export interface KernelLayer {
  /** Unique name (also its place in {@link LAYER_ORDER}). */
  name: LayerName;
  /** Backends the layer applies to. */
  backends: readonly string[];
  /** kernel name -> wrapper (below -> new kernel). */
  kernels: Record<string, (below: KernelFunc) => KernelFunc>;
}

/** Bottom to top. */
export const LAYER_ORDER = ['broadcast-fix', 'slice-fix', 'identity-share', 'fast-path', 'native-matmul', 'native-elementwise'] as const;
export type LayerName = (typeof LAYER_ORDER)[number];

const layers = new Map<LayerName, KernelLayer>();
const enabled = new Map<string, Set<LayerName>>(); // backend -> enabled layers
const stock = new Map<string, tf.KernelConfig>(); // `${backend}/${kernel}` -> the stock config

/** Registers a layer's definition (idempotent; does not enable it). */
export function defineLayer(layer: KernelLayer): void {
  layers.set(layer.name, layer);
}

function kernelsTouched(backend: string): Set<string> {
  const names = new Set<string>();
  for (const l of layers.values()) if (l.backends.includes(backend)) for (const k of Object.keys(l.kernels)) names.add(k);
  return names;
}

function rebuild(backend: string): void {
  const on = enabled.get(backend) ?? new Set<LayerName>();
  for (const kernelName of kernelsTouched(backend)) {
    const key = `${backend}/${kernelName}`;
    const current = tf.getKernel(kernelName, backend);
    if (!stock.has(key)) {
      if (!current) continue; // the backend has no such kernel: nothing to wrap
      stock.set(key, current);
    }
    const base = stock.get(key)!;
    let func: KernelFunc = base.kernelFunc;
    for (const name of LAYER_ORDER) {
      const l = layers.get(name);
      if (!l || !on.has(name) || !l.backends.includes(backend)) continue;
      const wrap = l.kernels[kernelName];
      if (wrap) func = wrap(func);
    }
    if (current) tf.unregisterKernel(kernelName, backend);
    // The stock setupFunc already bound what the stock kernelFunc needs when the backend started; keep it.
    tf.registerKernel(func === base.kernelFunc ? base : { ...base, kernelFunc: func });
  }
}

/** Turns a layer on or off for one backend and rebuilds that backend's overridden kernels. */
export function setLayer(name: LayerName, on: boolean, backend: string): void {
  const set = enabled.get(backend) ?? new Set<LayerName>();
  if (set.has(name) === on) return;
  if (on) set.add(name);
  else set.delete(name);
  enabled.set(backend, set);
  rebuild(backend);
}

/** True when the layer is on for the backend. */
export function layerOn(name: LayerName, backend: string): boolean {
  return enabled.get(backend)?.has(name) ?? false;
}

/** The stock kernel function of a kernel (before any layer), when engram has overridden it. */
export function stockKernel(kernelName: string, backend: string): KernelFunc | undefined {
  return stock.get(`${backend}/${kernelName}`)?.kernelFunc ?? tf.getKernel(kernelName, backend)?.kernelFunc;
}
