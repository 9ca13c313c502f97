export { EnergyGraph, type Connection, type EnergyGradientOptions } from './energy-graph.js';
export { NeuronLayer, type NeuronLayerSpec } from './neuron-layer.js';
