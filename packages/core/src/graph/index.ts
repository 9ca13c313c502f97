export { EnergyGraph, type Connection } from './energy-graph.js';
export { NeuronLayer, type NeuronLayerSpec } from './neuron-layer.js';
