import { expect } from 'chai';
import { EngramError, ErrorCodes } from '@engram/core';
import { formatTick, linearScale, logScale, niceDomain, niceLogDomain, niceStep, niceTicks } from '../src/index.js';
import { thrown } from './helpers/xml.js';

describe('scales and ticks', () => {
  it('picks 1-2-5 steps', () => {
    expect(niceStep(1, 5)).to.equal(0.2);
    expect(niceStep(100, 5)).to.equal(20);
    expect(niceStep(7, 5)).to.equal(1);
    expect(niceStep(0.03, 5)).to.be.closeTo(0.005, 1e-15);
  });

  it('makes clean ticks without floating noise', () => {
    expect(niceTicks(0, 1, 5)).to.deep.equal([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.35, 0.35, 7)).to.deep.equal([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(niceTicks(-57.3, -12.1, 5)).to.deep.equal([-50, -40, -30, -20]);
  });

  it('widens domains to ticks and handles flat data', () => {
    expect(niceDomain(-57.3, -12.1)).to.deep.equal([-60, -10]);
    const [lo, hi] = niceDomain(3, 3);
    expect(lo).to.be.below(3);
    expect(hi).to.be.above(3);
    expect(niceLogDomain(3, 4500)).to.deep.equal([1, 10000]);
    expect(niceLogDomain(10, 10)).to.deep.equal([1, 100]);
  });

  it('maps linearly, including a flipped pixel range', () => {
    const y = linearScale([0, 10], [300, 0]);
    expect(y(0)).to.equal(300);
    expect(y(10)).to.equal(0);
    expect(y(2.5)).to.equal(225);
  });

  it('places log ticks at equal distances per decade', () => {
    const x = logScale([1, 1000], [0, 300]);
    expect(x(1)).to.equal(0);
    expect(x(10)).to.be.closeTo(100, 1e-9);
    expect(x(100)).to.be.closeTo(200, 1e-9);
    expect(x(Math.sqrt(10))).to.be.closeTo(50, 1e-9);
    expect(x.ticks()).to.deep.equal([1, 10, 100, 1000]);
    const minor = x.minorTicks();
    expect(minor).to.include.members([2, 5, 9, 20, 500]);
    expect(minor).to.not.include(10);
  });

  it('thins log ticks over many decades and uses 1-2-5 within one decade', () => {
    const wide = logScale([1e-6, 1e6], [0, 100]);
    const t = wide.ticks(6);
    expect(t.length).to.be.at.most(7);
    expect(t).to.include(1);
    for (const v of t) expect(Math.log10(v) % 1).to.be.closeTo(0, 1e-9);
    expect(logScale([2, 8], [0, 1]).ticks()).to.deep.equal([2, 5]);
  });

  it('refuses log domains that are not positive', () => {
    const err = thrown(() => logScale([0, 10], [0, 1]));
    expect(err).to.be.instanceOf(EngramError);
    expect((err as EngramError).code).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(thrown(() => linearScale([1, 1], [0, 1]))).to.be.instanceOf(EngramError);
  });

  it('formats ticks compactly', () => {
    expect(formatTick(0)).to.equal('0');
    expect(formatTick(0.2)).to.equal('0.2');
    expect(formatTick(-40)).to.equal('-40');
    expect(formatTick(1e6)).to.equal('1e6');
    expect(formatTick(2.5e-4)).to.equal('2.5e-4');
  });
});
