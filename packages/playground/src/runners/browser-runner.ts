/** The runner in the page: engram itself runs in the browser (wasm, webgl or cpu). */
import * as tf from '@tensorflow/tfjs';
import type { Engram } from '@engram/core';
import { kindsOf } from '../kinds.js';
import type { KindInfo, Runner, RunEvent, RunHandle, RunRequest } from '../protocol.js';
import { startRun } from '../run-request.js';

/** Runs models in this page on `engram`. */
export class BrowserRunner implements Runner {
  readonly where = 'in this page';
  constructor(private readonly engram: Engram) {}

  async kinds(): Promise<KindInfo[]> {
    return kindsOf(this.engram);
  }

  start(request: RunRequest, listener: (e: RunEvent) => void): Promise<RunHandle> {
    return startRun(this.engram, request, listener);
  }

  async tensors(): Promise<number> {
    return tf.memory().numTensors;
  }
}
