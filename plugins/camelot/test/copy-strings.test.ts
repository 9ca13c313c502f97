import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { createEngram, initBackend, trainModel, type Engram } from '@engram/core';
import { camelotPlugin, BROWN_VOCABULARY } from '../src/node/index.js';
import { copyStringDocuments } from '../src/internal/copy-strings.js';
import { datasetTexts } from '../src/internal/brown-dataset.js';

describe('camelot/copy-strings: the copying warm-up corpus', () => {
  let engram: Engram;
  before(async () => {
    await initBackend({ backend: 'wasm' });
    engram = await createEngram({ plugins: [camelotPlugin] });
  });

  it('is fresh random strings and copies of earlier pieces from within reach, without separators, seeded', () => {
    // Pieces of exactly 8: after the first 16 characters every piece is a copy (copyShare 1) of text in the 16 before it.
    const fixed = { alphabet: BROWN_VOCABULARY, documents: 3, length: 400, minLength: 8, maxLength: 8, reach: 16 };
    const pieces = (doc: string): { piece: string; before: string }[] =>
      Array.from({ length: Math.floor(doc.length / 8) - 2 }, (_, i) => ({ piece: doc.slice(8 * (i + 2), 8 * (i + 3)), before: doc.slice(8 * i, 8 * (i + 2)) }));
    const copied = copyStringDocuments({ ...fixed, copyShare: 1, seed: 3 });
    for (const doc of copied) {
      expect(doc.length).to.be.at.least(400);
      expect(doc).to.not.match(/[ .\n]/);
      for (const { piece, before } of pieces(doc)) expect(before).to.contain(piece);
    }
    // Fresh pieces (copyShare 0) are almost never found in the text before them: the check above can fail.
    const fresh = copyStringDocuments({ ...fixed, copyShare: 0, seed: 3 }).flatMap(pieces);
    expect(fresh.filter(({ piece, before }) => before.includes(piece)).length).to.be.below(fresh.length / 10);
    const defaults = { alphabet: BROWN_VOCABULARY, documents: 2, length: 300, seed: 7 };
    expect(copyStringDocuments(defaults)).to.deep.equal(copyStringDocuments(defaults));
    expect(copyStringDocuments({ ...defaults, seed: 8 })).to.not.deep.equal(copyStringDocuments(defaults));
  });

  it('rejects an alphabet of separators only, bad lengths, reach and share with coded errors', () => {
    expect(() => copyStringDocuments({ alphabet: ' .\na' })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => copyStringDocuments({ alphabet: 'abc', minLength: 5, maxLength: 4 })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => copyStringDocuments({ alphabet: 'abc', minLength: 0 })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => copyStringDocuments({ alphabet: 'abc', maxLength: 20, reach: 10 })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    expect(() => copyStringDocuments({ alphabet: 'abc', copyShare: 1.5 })).to.throw().with.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
  });

  it('is a registered text data set the GPT trains on, in windows shorter than its context (windowLength)', async () => {
    const set = await engram.dataset('camelot/copy-strings', { documents: 10, length: 200 });
    expect(datasetTexts(set, 'copy-strings')).to.have.length(10);
    await engram.dataset('camelot/copy-strings', { minLength: 9, maxLength: 3 }).then(
      () => expect.fail('maxLength < minLength was accepted'),
      (e: unknown) => expect(e).to.have.property('code', 'ENGRAM_ERR_INVALID_CONFIG'),
    );
    const model = await engram.createModel('camelot/gpt', { contextLength: 16, size: 16, heads: 2, blocks: 1, hiddenSize: 16 });
    const events = await lastValueFrom(trainModel(model, { engram, settings: { data: 'camelot/copy-strings', windowLength: 8, limit: 8, batchSize: 4, repeatFraction: 0 } }).pipe(toArray()));
    expect(Number.isFinite(events.find((e) => e.type === 'epoch')!.loss)).to.equal(true);
    const err = await lastValueFrom(trainModel(model, { engram, settings: { data: 'camelot/copy-strings', windowLength: 17, limit: 4, batchSize: 4 } })).then(() => undefined, (e: unknown) => e);
    expect(err).to.have.property('code', 'ENGRAM_ERR_INVALID_ARGUMENT');
    model.dispose();
  });
});
