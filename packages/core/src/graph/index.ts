export { EnergyModel, type Connection, type DescentOptions } from './energy-model.js';
export { NeuronLayer, type NeuronLayerSpec } from './neuron-layer.js';
export { type State, disposeState, keepState, snapshotState } from './state.js';
export { graphFromConfig } from './graph-from-config.js';
