import { expect } from 'chai';
import { pathToFileURL } from 'node:url';
import { ErrorCodes } from '../../src/errors/codes.js';
import { EngramError, isEngramError } from '../../src/errors/engram-error.js';

describe('EngramError across copies of @engram/core', () => {
  it('is recognised when it comes from another copy of the module (instanceof and isEngramError)', async () => {
    // A second instance of the same source file: what a plugin with its own copy
    // of @engram/core, or a file loaded both as ESM and as CommonJS, gives.
    const url = `${pathToFileURL(new URL('../../src/errors/engram-error.ts', import.meta.url).pathname).href}?copy=2`;
    const other = (await import(url)) as typeof import('../../src/errors/engram-error.js');
    expect(other.EngramError).to.not.equal(EngramError);
    const foreign = new other.EngramError(ErrorCodes.INVALID_ARGUMENT, 'from the other copy');
    expect(foreign instanceof EngramError).to.equal(true);
    expect(isEngramError(foreign, ErrorCodes.INVALID_ARGUMENT)).to.equal(true);
    expect(isEngramError(foreign, ErrorCodes.DISPOSED)).to.equal(false);
    expect(other.isEngramError(new EngramError(ErrorCodes.DISPOSED, 'here'), ErrorCodes.DISPOSED)).to.equal(true);
  });

  it('is not claimed by plain errors or look-alikes, and subclasses keep plain instanceof', () => {
    expect(isEngramError(new Error('x'))).to.equal(false);
    expect(isEngramError({ code: ErrorCodes.DISPOSED, name: 'EngramError' })).to.equal(false);
    expect(isEngramError(null)).to.equal(false);
    class Special extends EngramError {}
    const s = new Special(ErrorCodes.INVALID_ARGUMENT, 's');
    expect(s instanceof EngramError && s instanceof Special).to.equal(true);
    expect(new EngramError(ErrorCodes.INVALID_ARGUMENT, 'e') instanceof Special).to.equal(false);
  });
});
