export { streamEnergy, type StreamEnergyOptions } from './stream-energy.js';
