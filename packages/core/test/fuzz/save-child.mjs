// Child process of kill-during-save.test.ts: saves a ~4 MB model over and
// over at the path given, each save with different values, until killed.
import * as tf from '@tensorflow/tfjs';
import { EnergyModel, initBackend, lagrangians, memorySynapse } from '../../dist/index.js';
import { saveModel } from '../../dist/node/index.js';

const path = process.argv[2];
await initBackend({ backend: 'cpu' });
const model = new EnergyModel()
  .addLayer('v', { shape: [1000], lagrangian: lagrangians.identity() })
  .addSynapse('mem', memorySynapse({ memories: 1000, size: 1000 }), ['v']);
process.stdout.write('ready\n');
for (let k = 1; ; k++) {
  const fill = tf.fill([1000, 1000], k);
  model.variables()['mem/patterns'].assign(fill);
  fill.dispose();
  await saveModel(model, path);
  process.stdout.write(`saved ${k}\n`);
}
