/**
 * Batch-broadcast matrix products made right on every backend.
 *
 * tfjs 4.22's BatchMatMul kernels (cpu and wasm alike) index a broadcast
 * operand as p mod batch over the FLATTENED batch: right when an operand's
 * batch is all ones or the trailing part of the output batch, wrong otherwise
 * ([2,1] x [1,3] batches: the cpu kernel even allocates 2 of the 6 output
 * matrices). And the registered gradient never sums over broadcast batch
 * dims, so the gradient of any broadcast product ([3,4,5] x [5,6] included)
 * throws a shape error.
 *
 * Fixes, at every size: (1) a kernel layer below every other BatchMatMul
 * layer that tiles an operand to the output batch (backend 'Tile' kernel)
 * exactly when mod indexing would be wrong, else passes through untouched;
 * (2) the BatchMatMul gradient re-registered with the broadcast axes summed
 * (reading only the saved inputs, so second order stays right). The native
 * and sliced wasm routes broadcast per dimension themselves.
 */
import * as tf from '@tensorflow/tfjs';
import { modIndexingIsRight } from './internal/batch-indices.js';
import { defineLayer } from './kernel-stack.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];
interface Info {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
}
type Disposing = { disposeData(dataId: tf.DataId, force?: boolean): boolean };

/** Which operands need tiling to the output batch (undefined: shapes tfjs will reject anyway, leave them to it). */
export function broadcastRepair(aShape: readonly number[], bShape: readonly number[]): { outer: number[]; a: boolean; b: boolean } | undefined {
  if (aShape.length < 2 || bShape.length < 2) return undefined;
  const aB = aShape.slice(0, -2);
  const bB = bShape.slice(0, -2);
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(aB, bB);
  } catch {
    return undefined;
  }
  return { outer, a: !modIndexingIsRight(aB, outer), b: !modIndexingIsRight(bB, outer) };
}

function tileTo(x: Info, outer: number[], backend: unknown): Info {
  const tile = tf.getKernel('Tile', tf.getBackend());
  if (!tile) throw new Error(`BatchMatMul broadcast: backend '${tf.getBackend()}' has no Tile kernel`);
  const batch = x.shape.slice(0, -2);
  const padded = [...new Array<number>(outer.length - batch.length).fill(1), ...batch];
  const view: Info = { dataId: x.dataId, shape: [...padded, ...x.shape.slice(-2)], dtype: x.dtype };
  const reps = [...outer.map((o, i) => o / padded[i]!), 1, 1];
  return tile.kernelFunc({ inputs: { x: view } as unknown as tf.NamedTensorInfoMap, backend: backend as tf.KernelBackend, attrs: { reps } as unknown as tf.NamedAttrMap }) as Info;
}

const broadcastFix = (below: KernelFunc): KernelFunc => (args) => {
  const { a, b } = args.inputs as unknown as { a: Info; b: Info };
  const fix = broadcastRepair(a.shape, b.shape);
  if (!fix || (!fix.a && !fix.b)) return below(args);
  const a2 = fix.a ? tileTo(a, fix.outer, args.backend) : a;
  const b2 = fix.b ? tileTo(b, fix.outer, args.backend) : b;
  try {
    return below({ ...args, inputs: { a: a2, b: b2 } as unknown as tf.NamedTensorInfoMap });
  } finally {
    if (fix.a) (args.backend as unknown as Disposing).disposeData(a2.dataId);
    if (fix.b) (args.backend as unknown as Disposing).disposeData(b2.dataId);
  }
};

defineLayer({ name: 'broadcast-fix', backends: ['cpu', 'wasm'], kernels: { BatchMatMul: broadcastFix } });

/** Sums `g` over the axes broadcasting added to reach it from `shape`, then reshapes to `shape`. */
function reduceTo(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const axes = tf.broadcast_util.getReductionAxes(shape as number[], g.shape);
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, shape as number[]);
}

/** tfjs' BatchMatMul gradient (the same four transpose cases) with broadcast batch axes summed. */
const batchMatMulGrad: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const d = Array.isArray(dy) ? dy[0]! : dy;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    let da: () => tf.Tensor;
    let db: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      da = () => tf.matMul(d, b, false, true);
      db = () => tf.matMul(a, d, true, false);
    } else if (!transposeA && transposeB) {
      da = () => tf.matMul(d, b, false, false);
      db = () => tf.matMul(d, a, true, false);
    } else if (transposeA && !transposeB) {
      da = () => tf.matMul(b, d, false, true);
      db = () => tf.matMul(a, d, false, false);
    } else {
      da = () => tf.matMul(b, d, true, true);
      db = () => tf.matMul(d, a, true, true);
    }
    return { a: () => reduceTo(da(), a.shape), b: () => reduceTo(db(), b.shape) };
  },
};

/** Registers the broadcast-aware BatchMatMul gradient (idempotent). */
export function installMatMulGradient(): void {
  if (tf.getGradient(tf.BatchMatMul) !== batchMatMulGrad) tf.registerGradient(batchMatMulGrad);
}
