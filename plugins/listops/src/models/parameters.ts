/**
 * The transformer's parameters by name, their shapes and their seeded
 * initialisation (nanoGPT's: normal(0, initStd) weights, zero biases, unit
 * LayerNorm gains, residual output projections scaled by 1/sqrt(2 layers)).
 */
import * as tf from '@tensorflow/tfjs';
import type { TransformerConfig, TransformerShape } from './transformer-config.js';

/** How one parameter starts. */
type Init = 'normal' | 'residual' | 'zeros' | 'ones';

/** Shapes and initialisations of every parameter, in a fixed order. */
export function parameterSpecs(config: TransformerConfig, shape: TransformerShape): { name: string; shape: number[]; init: Init }[] {
  const d = config.width;
  const specs: { name: string; shape: number[]; init: Init }[] = [
    { name: 'embed.tokens', shape: [shape.vocab, d], init: 'normal' },
    { name: 'embed.positions', shape: [shape.seqLen, d], init: 'normal' },
  ];
  for (let l = 0; l < config.layers; l++) {
    const p = `block${l}`;
    specs.push(
      { name: `${p}.ln1.gain`, shape: [d], init: 'ones' },
      { name: `${p}.ln1.bias`, shape: [d], init: 'zeros' },
      { name: `${p}.attn.qkv.weight`, shape: [d, 3 * d], init: 'normal' },
      { name: `${p}.attn.qkv.bias`, shape: [3 * d], init: 'zeros' },
      { name: `${p}.attn.out.weight`, shape: [d, d], init: 'residual' },
      { name: `${p}.attn.out.bias`, shape: [d], init: 'zeros' },
    );
    if (shape.hidden > 0) {
      specs.push(
        { name: `${p}.ln2.gain`, shape: [d], init: 'ones' },
        { name: `${p}.ln2.bias`, shape: [d], init: 'zeros' },
        { name: `${p}.ffn.in.weight`, shape: [d, shape.hidden], init: 'normal' },
        { name: `${p}.ffn.in.bias`, shape: [shape.hidden], init: 'zeros' },
        { name: `${p}.ffn.out.weight`, shape: [shape.hidden, d], init: 'residual' },
        { name: `${p}.ffn.out.bias`, shape: [d], init: 'zeros' },
      );
    }
  }
  specs.push(
    { name: 'head.ln.gain', shape: [d], init: 'ones' },
    { name: 'head.ln.bias', shape: [d], init: 'zeros' },
    { name: 'head.weight', shape: [d, shape.classes], init: 'normal' },
    { name: 'head.bias', shape: [shape.classes], init: 'zeros' },
  );
  return specs;
}

/** Number of scalar parameters of a config (what the study's thresholds are counted in). */
export function countParameters(config: TransformerConfig, shape: TransformerShape): number {
  return parameterSpecs(config, shape).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

// tfjs variable names are global: a counter keeps every model's names distinct.
let variableCounter = 0;

/** Fresh seeded variables for every parameter. */
export function initParameters(config: TransformerConfig, shape: TransformerShape): Record<string, tf.Variable> {
  const residualStd = config.initStd / Math.sqrt(2 * config.layers);
  const vars: Record<string, tf.Variable> = {};
  parameterSpecs(config, shape).forEach((s, i) => {
    const value = tf.tidy(() => {
      switch (s.init) {
        case 'zeros':
          return tf.zeros(s.shape);
        case 'ones':
          return tf.ones(s.shape);
        case 'normal':
          return tf.randomNormal(s.shape, 0, config.initStd, 'float32', config.seed * 1000 + i + 1);
        case 'residual':
          return tf.randomNormal(s.shape, 0, residualStd, 'float32', config.seed * 1000 + i + 1);
      }
    });
    vars[s.name] = tf.variable(value, true, `listops_${++variableCounter}_${s.name}`);
    value.dispose();
  });
  return vars;
}
