import { expect } from 'chai';
import { encode as gpt2Encode, decode as gpt2Decode } from 'gpt-tokenizer/encoding/r50k_base';
import { ErrorCodes } from '@engram/core';
import { BROWN_VOCABULARY, CharTokenizer, Gpt, SubwordTokenizer, brownSplit, characterIds, iclStreams, tokenOffsets, tokenizerFor } from '../src/node/index.js';

const TEXT = 'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.\n  Mr. Kennedy\'s 1961 plan: (a) $4,000; [b] 25% -- didn\'t, we\'ll, they\'re!  ';

describe('SubwordTokenizer (GPT-2 byte-pair merges truncated)', () => {
  it('with every GPT-2 merge kept, encodes exactly as gpt-tokenizer does (r50k_base)', () => {
    const full = new SubwordTokenizer(BROWN_VOCABULARY, 50256);
    const ours = Array.from(full.encode(TEXT), (id) => full.decode([id]));
    const theirs = gpt2Encode(TEXT).map((id) => gpt2Decode([id]));
    expect(ours).to.deep.equal(theirs);
  });

  it('truncated to ranks 2048: 1,857 tokens over the Brown characters, lossless on held-out Brown, ~3 characters a token', () => {
    const tok = new SubwordTokenizer(BROWN_VOCABULARY, 2048);
    expect(tok.size).to.equal(1857);
    const doc = brownSplit().heldOut[0]!.text;
    const ids = tok.encode(doc);
    expect(tok.decode(ids)).to.equal(doc);
    expect(doc.length / ids.length).to.be.within(2.8, 3.3);
    // Every id is a character or a piece of rank below 2048; pieces exist beyond the characters.
    expect(Math.max(...ids)).to.be.below(tok.size).and.at.least(BROWN_VOCABULARY.length);
    for (const id of new Set(ids)) {
      const text = tok.decode([id]);
      if ([...text].length > 1) expect(gpt2Encode(text)).to.have.length(1).and.satisfy((r: number[]) => r[0]! < 2048);
    }
    // A word GPT-2 keeps whole is split into pieces of the kept merges, which spell it.
    const word = ' irregularities';
    expect(gpt2Encode(word)).to.have.length(1);
    const pieces = tok.encode(word);
    expect(pieces.length).to.be.greaterThan(1);
    expect(tok.decode(pieces)).to.equal(word);
  });

  it('characters are ids 0 .. C - 1 in both tokenizers; offsets locate each token in the text', () => {
    const sub = new SubwordTokenizer(BROWN_VOCABULARY, 2048);
    const chars = new CharTokenizer(BROWN_VOCABULARY);
    expect(Array.from(characterIds(sub, 'the'))).to.deep.equal(Array.from(chars.encode('the')));
    const ids = sub.encode(' the cat');
    const offsets = tokenOffsets(sub, ids);
    expect(offsets[offsets.length - 1]).to.equal(8);
    expect(offsets.slice(0, -1).map((o, j) => ' the cat'.slice(o, offsets[j + 1]))).to.deep.equal(Array.from(ids, (id) => sub.decode([id])));
    expect(() => characterIds(sub, 'é')).to.throw().with.property('code', ErrorCodes.INVALID_ARGUMENT);
  });

  it('bad vocabularies and ranks are coded errors', () => {
    for (const make of [() => new SubwordTokenizer('aa', 2048), () => new SubwordTokenizer(BROWN_VOCABULARY, 100), () => new SubwordTokenizer(BROWN_VOCABULARY, 60000), () => new SubwordTokenizer('a', 2048)]) {
      expect(make).to.throw().with.property('code', ErrorCodes.INVALID_ARGUMENT);
    }
    expect(() => new Gpt({ subwordRanks: 100, contextLength: 8, size: 8, heads: 2, blocks: 1, hiddenSize: 8 })).to.throw().with.property('code', ErrorCodes.INVALID_CONFIG);
  });

  it('the config picks the tokenizer: characters by default, subwords with subwordRanks', () => {
    expect(tokenizerFor({ vocabulary: BROWN_VOCABULARY, subwordRanks: 0 })).to.be.instanceOf(CharTokenizer);
    const gpt = new Gpt({ subwordRanks: 2048, contextLength: 8, size: 8, heads: 2, blocks: 1, hiddenSize: 8 });
    try {
      expect(gpt.tokenizer).to.be.instanceOf(SubwordTokenizer);
      expect(gpt.vocabularySize).to.equal(1857);
      expect(gpt.variables()['embedding']!.shape).to.deep.equal([1857, 8]);
    } finally {
      gpt.dispose();
    }
  });

  it('the in-context-learning streams in subword tokens: equal lengths (padded with spaces), value positions spell the values', () => {
    const tok = new SubwordTokenizer(BROWN_VOCABULARY, 2048);
    const { documents, values } = iclStreams(tok, { pairs: 8, demonstrations: 30, scored: 10, trials: 3, seed: 0 });
    expect(new Set(documents.map((d) => d.length)).size).to.equal(1);
    const text = tok.decode(documents[1]!);
    expect(text).to.match(/^([a-z]{3} [a-z]{3}\. )+ *$/);
    // Each demonstration's value tokens decode to " vvv" (its leading space merged into the first piece, or dropped).
    const demos = text.trim().split('. ');
    values[1]!.forEach((positions, i) => {
      const spelled = tok.decode(positions.map((p) => documents[1]![p]!)).trimStart();
      expect(spelled).to.equal(demos[i]!.split(' ')[1]!.replace('.', ''));
    });
  });
});
