import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend, isBackendAvailable } from '../../src/backend/backend.js';
import { ErrorCodes } from '../../src/errors/codes.js';
import { EngramError } from '../../src/errors/engram-error.js';

describe('backend choice', function () {
  after(async () => {
    delete process.env['ENGRAM_BACKEND'];
    await initBackend({ backend: 'wasm' });
  });

  it("uses tfjs-node ('tensorflow') when installed, and fails cleanly with ENGRAM_ERR_BACKEND_UNAVAILABLE when asked for it while absent", async function () {
    if (await isBackendAvailable('tensorflow')) {
      // Users elsewhere: the accelerator is taken when asked for.
      expect(await initBackend({ backend: 'tensorflow' })).to.equal('tensorflow');
      expect(tf.getBackend()).to.equal('tensorflow');
      return;
    }
    await initBackend({ backend: 'wasm' });
    let caught: unknown;
    try {
      await initBackend({ backend: 'tensorflow' });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(EngramError);
    expect((caught as EngramError).code).to.equal(ErrorCodes.BACKEND_UNAVAILABLE);
    expect((caught as EngramError).message).to.match(/tfjs-node/);
    // Nothing changed: the previous backend is still in use.
    expect(tf.getBackend()).to.equal('wasm');
  });

  it('falls back to cpu when the backend comes from the environment and is not installed (no explicit request)', async function () {
    if (await isBackendAvailable('tensorflow')) this.skip();
    process.env['ENGRAM_BACKEND'] = 'tensorflow';
    try {
      expect(await initBackend()).to.equal('cpu');
      expect(tf.getBackend()).to.equal('cpu');
    } finally {
      delete process.env['ENGRAM_BACKEND'];
    }
    expect(await initBackend()).to.equal('wasm');
  });

  it('rejects an unknown backend name with ENGRAM_ERR_BACKEND_UNAVAILABLE', async () => {
    let caught: unknown;
    try {
      await initBackend({ backend: 'metal' as never });
    } catch (e) {
      caught = e;
    }
    expect((caught as EngramError).code).to.equal(ErrorCodes.BACKEND_UNAVAILABLE);
  });

  it('webgl and webgpu named in Node: a coded error that says where they work, and the backend stays usable', async () => {
    for (const [backend, hint] of [['webgl', /browsers only/], ['webgpu', /tfjs-backend-webgpu/]] as const) {
      let caught: unknown;
      try {
        await initBackend({ backend });
      } catch (e) {
        caught = e;
      }
      expect((caught as EngramError).code, backend).to.equal(ErrorCodes.BACKEND_UNAVAILABLE);
      expect(String(caught), backend).to.match(hint);
    }
    expect(await initBackend({ backend: 'wasm' })).to.equal('wasm');
  });

  it('explicit fallback: true takes cpu instead of throwing', async function () {
    if (await isBackendAvailable('tensorflow')) this.skip();
    expect(await initBackend({ backend: 'tensorflow', fallback: true })).to.equal('cpu');
    await initBackend({ backend: 'wasm' });
  });
});
