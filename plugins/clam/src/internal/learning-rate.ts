/**
 * Changing a tf.train optimizer's learning rate in place. tfjs keeps it in a
 * protected field that every `applyGradients` reads; core has no public
 * setter (nor a schedule hook in trainStream), so the plateau schedule sets it
 * here, between epochs.
 */
import type * as tf from '@tensorflow/tfjs';

/** Sets the learning rate of an sgd, momentum or adam optimizer. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}
