/**
 * `node bench/dist/probe-attention.js [inference|train] [rounds]`: the
 * measurement behind core's fused attention kernels. Runs the ET bench
 * workload (B = 32, N = 49, 4 heads of 32, 12 steps) with the fused
 * `EngramHeadAttention` / `EngramHeadAttentionGrad` kernels registered and with
 * them removed (core's `ops.headAttention` then composes the same maths from
 * stock kernels), alternated run by run in one process, and prints the median
 * of the per-round time ratios (fused / composed) with its quartiles.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '@engram/core';
import { etInferenceWorkload, etTrainStepWorkload } from '@engram/energy-transformer/bench';

const KERNELS = ['EngramHeadAttention', 'EngramHeadAttentionGrad'];

async function main(): Promise<void> {
  const which = process.argv[2] === 'train' ? 'train' : 'inference';
  const rounds = Math.max(4, Number(process.argv[3] ?? 12) || 12);
  await initBackend({});
  const configs = KERNELS.map((k) => tf.getKernel(k, 'wasm'));
  if (!backendInfo().native || configs.some((c) => !c)) {
    console.log(`probe-attention: needs the native path (${backendInfo().nativeOff ?? 'the fused attention kernels are not registered'})`);
    return;
  }
  const use = (on: boolean): void => {
    for (const c of configs) {
      if (tf.getKernel(c!.kernelName, 'wasm')) tf.unregisterKernel(c!.kernelName, 'wasm');
      if (on) tf.registerKernel(c!);
    }
  };
  const w = which === 'train' ? etTrainStepWorkload({}) : etInferenceWorkload({});
  const times: Record<'fused' | 'composed', number[]> = { fused: [], composed: [] };
  try {
    for (const on of [false, true]) {
      use(on);
      w.run();
    }
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 ? (['fused', 'composed'] as const) : (['composed', 'fused'] as const)) {
        use(mode === 'fused');
        const t0 = performance.now();
        w.run();
        times[mode].push(performance.now() - t0);
      }
    }
  } finally {
    use(true);
    w.dispose();
  }
  const sorted = (a: number[]): number[] => [...a].sort((p, q) => p - q);
  const at = (a: number[], f: number): number => a[Math.min(a.length - 1, Math.floor(f * a.length))]!;
  const ratios = sorted(times.fused.map((v, i) => v / times.composed[i]!));
  console.log(
    `ET ${which}, ${rounds} alternated rounds: fused ${at(sorted(times.fused), 0.5).toFixed(1)} ms, composed ${at(sorted(times.composed), 0.5).toFixed(1)} ms; ` +
      `fused/composed median ${at(ratios, 0.5).toFixed(3)} (IQR ${at(ratios, 0.25).toFixed(3)}-${at(ratios, 0.75).toFixed(3)}); ${backendInfo().description}`,
  );
}

void main();
