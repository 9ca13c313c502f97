/**
 * Second-order gradient fixes for tfjs-core 4.22.
 *
 * Why: tfjs saves the tensors a gradient needs by cloning them while the kernel
 * runs. A saved *output* is cloned before the kernel's own tape node is recorded,
 * so when a gradient that reads a saved output is itself differentiated (second
 * order: Hessian-vector products, back-propagation through unrolled descent), the
 * path from that output back to the kernel's input is dropped from the tape and
 * the result is silently wrong. Gradients that read only saved *inputs* are right.
 * Separately, comparison/logical kernels (Equal, Greater, ...) have no registered
 * gradient, so any gradient that builds a mask from them (Max, Min, ClipByValue,
 * Minimum, ...) throws "gradient function not found" at second order.
 *
 * The fixes below re-register the affected gradients so that they recompute what
 * they need from saved inputs when they are themselves differentiated (at first
 * order they read the saved output, which is exact there and saves a pass), and
 * register zero gradients for the piecewise constant kernels (their derivative
 * is zero almost everywhere).
 *
 * Kernels whose gradients call a dedicated *Grad kernel (MaxPool, MaxPool3D, LRN,
 * AvgPool, ...) still have no second-order gradient and throw when differentiated
 * twice; ops built on `tf.customGrad` that save an output (notably `tf.logSoftmax`
 * and `tf.losses.softmaxCrossEntropy`) cannot be fixed through the registry and are
 * silently wrong at second order: use engram's {@link logSoftmax} and friends in
 * `numerics/ops.ts` instead.
 */
import * as tf from '@tensorflow/tfjs';
import { reluBackward, softmaxBackward } from './fused-backward.js';

type GradConfig = tf.GradConfig;
type Tensor = tf.Tensor;

/** Sums `res` over broadcast axes so that it gets `shape` (the inverse of broadcasting). */
function reduceToShape(res: Tensor, shape: readonly number[]): Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape as number[], res.shape);
  const summed = axes.length > 0 ? tf.sum(res, axes) : res;
  return tf.reshape(summed, shape as number[]);
}

const single = (dy: Tensor | Tensor[]): Tensor => (Array.isArray(dy) ? (dy[0] as Tensor) : dy);

/** `shape` with the reduced axes set to 1 (where a reduction's dy broadcasts back). */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((s, i) => (axes.includes(i) ? 1 : s));
}

/**
 * True while an outer gradient is recording, i.e. the gradient being computed
 * is itself being differentiated. Only then must a gradient recompute what it
 * needs from the saved input; at first order the saved output is exact and
 * saves a pass (the recomputed softmax was 12 of the ET train step's 24
 * Softmax kernels). Also used by core's fused kernels' gradients.
 */
export function differentiated(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
}

/** The kernel's output: the saved one at first order, `recompute(input)` when differentiated (saved = [input, output]). */
function savedOutput(saved: Tensor[], recompute: (x: Tensor) => Tensor): Tensor {
  const [x, y] = saved as [Tensor, Tensor];
  return differentiated() ? recompute(x) : y;
}

/** Gradient configs that, when differentiated, read only saved inputs, so they differentiate correctly again. */
function fixedConfigs(): GradConfig[] {
  const configs: GradConfig[] = [
    {
      kernelName: tf.Exp,
      inputsToSave: ['x'],
      outputsToSave: [true],
      gradFunc: (dy, saved) => ({ x: () => tf.mul(single(dy), savedOutput(saved, (x) => tf.exp(x))) }),
    },
    {
      kernelName: tf.Tanh,
      inputsToSave: ['x'],
      outputsToSave: [true],
      gradFunc: (dy, saved) => ({ x: () => tf.mul(single(dy), tf.sub(1, tf.square(savedOutput(saved, (x) => tf.tanh(x))))) }),
    },
    {
      kernelName: tf.Sigmoid,
      inputsToSave: ['x'],
      outputsToSave: [true],
      gradFunc: (dy, saved) => ({
        x: () => {
          const s = savedOutput(saved, (x) => tf.sigmoid(x));
          return tf.mul(single(dy), tf.mul(s, tf.sub(1, s)));
        },
      }),
    },
    {
      kernelName: tf.Softmax,
      inputsToSave: ['logits'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const dim = (attrs as unknown as tf.SoftmaxAttrs).dim;
        // One fused kernel at first order (when the backend has it); stock kernels when differentiated.
        return { logits: () => softmaxBackward(single(dy), savedOutput(saved, (logits) => tf.softmax(logits, dim)), dim, differentiated()) };
      },
    },
    {
      // The stock gradient (dy * step(x)) is right at every order; this one is a single kernel at
      // first order when the backend has it (numerics/fused-backward.ts).
      kernelName: tf.Relu,
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return { x: () => reluBackward(single(dy), x, differentiated()) };
      },
    },
    // Sum and Mean: the stock gradients broadcast dy by multiplying with tf.ones(x.shape), a
    // tensor filled on the host and copied into the backend on every backward pass (measured:
    // 5% of an autodiff descent step). onesLike runs on the backend; the values are the same.
    {
      kernelName: tf.Sum,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as [Tensor];
        const axes = tf.util.parseAxisParam((attrs as unknown as tf.SumAttrs).axis, x.shape);
        return { x: () => tf.mul(tf.reshape(single(dy), keptShape(x.shape, axes)), tf.onesLike(x)) };
      },
    },
    {
      kernelName: tf.Mean,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as [Tensor];
        const axes = tf.util.parseAxisParam((attrs as unknown as tf.MeanAttrs).axis, x.shape);
        const count = axes.reduce((n, axis) => n * x.shape[axis]!, 1);
        return { x: () => tf.div(tf.mul(tf.reshape(single(dy), keptShape(x.shape, axes)), tf.onesLike(x)), count) };
      },
    },
    {
      // The LogSoftmax kernel is not what tf.logSoftmax runs today (that is a
      // customGrad), but a backend may dispatch it; keep its gradient right too.
      kernelName: tf.LogSoftmax,
      inputsToSave: ['logits'],
      gradFunc: (dy, saved, attrs) => {
        const [logits] = saved as [Tensor];
        const axis = (attrs as unknown as tf.LogSoftmaxAttrs).axis;
        return {
          logits: () => {
            const d = single(dy);
            return tf.sub(d, tf.mul(tf.sum(d, axis, true), tf.softmax(logits, axis)));
          },
        };
      },
    },
    {
      // elu'(x) = 1 for x > 0 and exp(x) otherwise, i.e. exp(min(x, 0)); the stock
      // gradient calls the EluGrad kernel, which has no gradient itself.
      kernelName: tf.Elu,
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as [Tensor];
        return { x: () => tf.mul(single(dy), tf.exp(tf.minimum(x, 0))) };
      },
    },
    {
      kernelName: tf.Pow,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved) => {
        const [a, b] = saved as [Tensor, Tensor];
        const d = single(dy);
        return {
          a: () => {
            const bf = tf.cast(b, 'float32');
            const res = tf.mul(d, tf.mul(bf, tf.pow(a, tf.sub(bf, 1))));
            return reduceToShape(res, a.shape);
          },
          b: () => {
            const logA = tf.where(tf.greater(a, 0), tf.log(a), tf.zerosLike(a));
            const res = tf.mul(d, tf.mul(tf.pow(a, b), logA));
            return reduceToShape(res, b.shape);
          },
        };
      },
    },
  ];
  // Piecewise-constant kernels: zero derivative almost everywhere. Registering it
  // lets gradients built from masks (Max, Min, Maximum, ClipByValue, Relu6, ...)
  // be differentiated again. (Max/Min keep their stock gradient: the saved output
  // they read only feeds Equal, whose derivative is zero, so nothing is lost.)
  const zero = (t: Tensor) => (): Tensor => tf.zeros(t.shape, 'float32');
  for (const kernelName of [tf.Equal, tf.NotEqual, tf.Greater, tf.Less, tf.LessEqual, tf.LogicalAnd, tf.LogicalOr, tf.LogicalXor]) {
    configs.push({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as [Tensor, Tensor];
        return { a: zero(a), b: zero(b) };
      },
    });
  }
  for (const kernelName of [tf.LogicalNot, tf.All, tf.Any]) {
    configs.push({
      kernelName,
      inputsToSave: ['x'],
      gradFunc: (_dy, saved) => {
        const [x] = saved as [Tensor];
        return { x: zero(x) };
      },
    });
  }
  return configs;
}

let installed: GradConfig[] | undefined;
const originals = new Map<string, GradConfig | undefined>();

/** Kernel names whose gradients {@link installGradientFixes} replaces or adds. */
export function fixedGradientKernels(): string[] {
  return (installed ?? fixedConfigs()).map((c) => c.kernelName);
}

/**
 * Makes tfjs second-order gradients correct for the kernels engram relies on
 * (Exp, Tanh, Sigmoid, Softmax, LogSoftmax, Elu, Pow; Relu's and Softmax's gradients one fused
 * kernel at first order where the backend has it; Sum and Mean broadcast dy
 * on the backend instead of through a host-filled ones tensor) and differentiable through
 * masks (zero gradients for Equal, NotEqual, Greater, Less, LessEqual, the logical
 * kernels, All and Any), by re-registering their gradients in tfjs' global registry.
 *
 * Idempotent and cheap: call it as often as you like ({@link initBackend} does).
 * If something re-registered the stock gradients afterwards (a second import of
 * tfjs' gradient registrations), the next call puts the fixes back.
 */
export function installGradientFixes(): void {
  installed ??= fixedConfigs();
  for (const config of installed) {
    const current = tf.getGradient(config.kernelName);
    if (current === config) continue;
    if (!originals.has(config.kernelName)) originals.set(config.kernelName, current);
    tf.registerGradient(config);
  }
}

/**
 * Restores tfjs' stock gradients (or removes the added ones). For tests that show
 * what goes wrong without the fixes; engram itself never calls it.
 * @internal
 */
export function uninstallGradientFixes(): void {
  for (const [kernelName, original] of originals) {
    if (original !== undefined) tf.registerGradient(original);
    else if (tf.getGradient(kernelName) !== undefined) tf.unregisterGradient(kernelName);
  }
  originals.clear();
}

/** True when every fix is currently the registered gradient. */
export function gradientFixesInstalled(): boolean {
  return installed !== undefined && installed.every((c) => tf.getGradient(c.kernelName) === c);
}
