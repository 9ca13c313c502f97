/**
 * Compile-time checks of the ModelKinds augmentation (type-checked by
 * `npm run typecheck`, i.e. tsc -p tsconfig.check.json), with a runtime echo.
 */
import { expect } from 'chai';
import { createEngram, initBackend } from '@engram/core';
import hopfield, { DrDAM, ModernHopfield } from '../src/index.js';

describe('typed createModel (ModelKinds augmentation)', () => {
  it("createModel('hopfield/modern', { size: 784, beta: 2 }) is typed and returns ModernHopfield, without a cast", async () => {
    await initBackend({ backend: 'wasm' });
    const engram = await createEngram({ plugins: [hopfield] });
    const net: ModernHopfield = await engram.createModel('hopfield/modern', { size: 784, beta: 2 });
    const dam: DrDAM = await engram.createModel('hopfield/drdam', { size: 8, features: 16, kernel: 'cos' });
    // @ts-expect-error a typo'd key does not type-check
    const bad = engram.createModel('hopfield/modern', { size: 4, betta: 2 });
    await bad.catch(() => undefined);
    expect(net.size + dam.size).to.equal(792);
    net.dispose();
    dam.dispose();
  });
});
