import { expect } from 'chai';
import { main as acceptance } from '../examples/acceptance-numbers.js';
import { main as timing } from '../examples/dense-retrieval-timing.js';
import { main as poolingFit } from '../examples/pooling-fit.js';

describe('examples (reduced configurations)', () => {
  it('acceptance-numbers --quick reports the capacity figures', async () => {
    const lines: string[] = [];
    const r = await acceptance(['--quick'], (s) => lines.push(s));
    expect(r['classical.P10.bits']).to.be.greaterThan(0.99);
    expect(r['classical.P30.bits']).to.be.lessThan(0.85);
    expect(r['dense.K200.fixed']).to.be.at.least(0.9);
    expect(r['dense.K800.fixed']).to.be.at.most(0.3);
    expect(r['modern.beta1.exact']).to.be.at.least(0.98);
    expect(r['modern.beta0.01.maxWeight']).to.be.lessThan(0.01);
    expect(r['drdam.Y1000.err']).to.be.greaterThan(r['drdam.Y10000.err']!);
    expect(lines.length).to.be.greaterThan(8);
  });

  it('dense-retrieval-timing runs at a small size; the blocked retriever agrees with the memory synapse', async () => {
    const r = await timing(['--memories', '500', '--batch', '16', '--steps', '2', '--block', '128', '--rounds', '1'], () => {});
    expect(r.seconds).to.be.greaterThan(0);
    expect(r.synapseSeconds).to.be.greaterThan(0);
    expect(r.maxDifference).to.be.lessThan(1e-5);
  });

  it('pooling-fit runs one small seed: both versions learn, model.fit changes every trainable weight', async () => {
    const lines: string[] = [];
    const [r] = await poolingFit(['--seeds', '1', '--train', '256', '--epochs', '3'], (s) => lines.push(s));
    expect(r!.fitAccuracy).to.be.greaterThan(0.8);
    expect(r!.plainAccuracy).to.be.greaterThan(0.8);
    expect(r!.unchanged).to.deep.equal([]);
    expect(lines).to.have.length(2);
  });
});
