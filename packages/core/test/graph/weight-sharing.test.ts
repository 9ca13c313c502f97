import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { EnergyModel } from '../../src/model/energy-model.js';
import { lagrangians } from '../../src/lagrangians/index.js';
import { denseSynapse } from '../../src/synapses/dense.js';
import { memorySynapse } from '../../src/synapses/memory.js';
import { gradCheckVariables } from '../../src/numerics/gradcheck.js';
import { createEngram } from '../../src/plugins/create-engram.js';
import { deserializeModel, serializeModel } from '../../src/serialization/serialize.js';
import { trainStream } from '../../src/training/train.js';
import { ErrorCodes, isEngramError } from '../../src/errors/index.js';

/** One synapse connected twice: parameters listed, saved and trained once; gradients add up. */
function shared(): EnergyModel {
  return new EnergyModel()
    .addLayer('a', { shape: [5], lagrangian: lagrangians.tanh() })
    .addLayer('b', { shape: [5], lagrangian: lagrangians.sigmoid() })
    .addLayer('c', { shape: [3], lagrangian: lagrangians.softmax() })
    .addSynapse('mem', memorySynapse({ memories: 4, size: 5, beta: 1.5, seed: 1 }))
    .connect('mem', ['a'])
    .connect('mem', ['b'])
    .addSynapse('w', denseSynapse({ inSize: 5, outSize: 3, seed: 2 }), ['a', 'c'])
    .connect('w', ['b', 'c'], 'w-from-b');
}

describe('weight sharing: one synapse, several connections', () => {
  before(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('lists each synapse once, names connections, and sums the placements in the energy', () => {
    const model = shared();
    expect(Object.keys(model.variables())).to.deep.equal(['mem/patterns', 'w/W']);
    expect(model.connections.map((c) => [c.name, c.synapseName])).to.deep.equal([
      ['mem', 'mem'],
      ['mem#2', 'mem'],
      ['w', 'w'],
      ['w-from-b', 'w'],
    ]);
    const x = { a: tf.randomNormal([2, 5], 0, 1, 'float32', 3), b: tf.randomNormal([2, 5], 0, 1, 'float32', 4), c: tf.randomNormal([2, 3], 0, 1, 'float32', 5) };
    const e = model.energy(x);
    const syn = model.graph.synapses.get('mem')!;
    const ga = lagrangians.tanh().activation(x.a);
    const gb = lagrangians.sigmoid().activation(x.b);
    const ea = syn.energy([ga]);
    const eb = syn.energy([gb]);
    expect(Array.from(e.terms!['mem']!.dataSync())).to.deep.equal(Array.from(ea.dataSync()));
    expect(Array.from(e.terms!['mem#2']!.dataSync())).to.deep.equal(Array.from(eb.dataSync()));
    tf.dispose([...Object.values(x), e.total, ...Object.values(e.terms!), ga, gb, ea, eb]);
    model.dispose();
  });

  it('the weight gradient through unrolled steps is the sum over both placements (finite differences)', () => {
    const model = shared();
    const x0 = { a: tf.randomNormal([2, 5], 0, 1, 'float32', 6), b: tf.randomNormal([2, 5], 0, 1, 'float32', 7), c: tf.randomNormal([2, 3], 0, 1, 'float32', 8) };
    const loss = (): tf.Scalar => tf.tidy(() => {
      const f = model.integrate(x0, { steps: 3, dt: 0.2 });
      return tf.add(tf.mean(tf.square(f['a']!)), tf.mean(tf.square(tf.sub(f['c']!, 0.3)))) as tf.Scalar;
    });
    const r = gradCheckVariables(loss, model.variables(), { tolerance: 1e-2 });
    expect(r.ok, r.summary).to.equal(true);
    // The shared gradient equals the sum of the gradients of two unshared copies placed once each.
    const W = model.variables()['mem/patterns']!;
    const single = (layer: 'a' | 'b'): tf.Tensor =>
      tf.tidy(() => {
        const syn = memorySynapse({ memories: 4, size: 5, beta: 1.5, patterns: W });
        const g = lagrangians[layer === 'a' ? 'tanh' : 'sigmoid']().activation(x0[layer]);
        const grad = tf.variableGrads(() => tf.sum(syn.energy([g])) as tf.Scalar, [syn.variables['patterns']!]).grads;
        const out = Object.values(grad)[0]!.clone();
        syn.dispose();
        return out;
      });
    const sum = tf.tidy(() => tf.add(single('a'), single('b')));
    const both = tf.variableGrads(() => tf.tidy(() => {
      const g = model.activations(x0);
      return tf.addN(model.connections.filter((c) => c.synapseName === 'mem').map((c) => tf.sum(c.synapse.energy(c.layers.map((l) => g[l]!))))) as tf.Scalar;
    }), [W]).grads;
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(Object.values(both)[0]!, sum))).dataSync()[0]!);
    expect(diff).to.be.lessThan(1e-5);
    tf.dispose([...Object.values(x0), sum, ...Object.values(both)]);
    model.dispose();
  });

  it('trains, saves the shared weights once and reloads them', async () => {
    const engram = await createEngram();
    const model = shared();
    const x0 = { a: tf.randomNormal([4, 5], 0, 1, 'float32', 9), b: tf.randomNormal([4, 5], 0, 1, 'float32', 10), c: tf.zeros([4, 3]) };
    const before = model.variables()['mem/patterns']!.dataSync().slice();
    const optimizer = tf.train.adam(0.05);
    const losses: number[] = [];
    await new Promise<void>((resolve, reject) =>
      trainStream({
        variables: model.variables(),
        optimizer,
        epochs: 5,
        batches: () => [0],
        disposeBatch: () => {},
        loss: () => tf.tidy(() => tf.mean(tf.square(tf.sub(model.integrate(x0, { steps: 2, dt: 0.2 })['c']!, tf.tensor1d([1, 0, 0])))) as tf.Scalar),
      }).subscribe({ next: (e) => e.type === 'batch' && losses.push(e.loss), complete: resolve, error: reject }),
    );
    optimizer.dispose();
    expect(losses.at(-1)!).to.be.lessThan(losses[0]!);
    expect(model.variables()['mem/patterns']!.dataSync()).to.not.deep.equal(before);
    const art = serializeModel(model, { engram });
    expect(art.spec.weights.entries.map((e) => e.name)).to.deep.equal(['mem/patterns', 'w/W']);
    expect((art.spec.config['connections'] as unknown[]).length).to.equal(4);
    const back = await deserializeModel<EnergyModel>(engram, art);
    expect(back.connections.map((c) => c.name)).to.deep.equal(['mem', 'mem#2', 'w', 'w-from-b']);
    expect(back.graph.synapses.get('mem')).to.equal(back.connections[1]!.synapse);
    const ea = model.energy(x0);
    const eb = back.energy(x0);
    expect(Array.from(eb.total.dataSync())).to.deep.equal(Array.from(ea.total.dataSync()));
    tf.dispose([...Object.values(x0), ea.total, eb.total, ...Object.values(ea.terms!), ...Object.values(eb.terms!)]);
    model.dispose();
    back.dispose();
  });

  it('rejects connecting an unknown synapse, a taken name and the same synapse object added twice', () => {
    const model = shared();
    expect(() => model.connect('nope', ['a'])).to.throw(/unknown synapse 'nope'.*mem, w/);
    expect(() => model.connect('mem', ['a'], 'w')).to.throw().that.satisfies((e: unknown) => isEngramError(e, ErrorCodes.DUPLICATE_ID));
    expect(() => model.connect('mem', ['c'])).to.throw(/shape/);
    const syn = model.graph.synapses.get('w')!;
    expect(() => model.addSynapse('w2', syn)).to.throw(/already in the graph.*connect\(\)/);
    model.dispose();
  });
});
