import { someOf, type KindExamples } from '../example.ts';
import { ACTIVATION_FNS } from './kind.ts';

/**
 * Any input: a ReLU, and a leaky ReLU at Keras's LeakyReLU slope. Random: every function, a leaky ReLU's slope
 * from 0 (a ReLU) past 1 (a slope steeper than the identity), or left out for PyTorch's 0.01.
 */
export const activationExamples: KindExamples<'activation'> = {
  fits: () => [{ fn: 'relu' }, { fn: 'leakyRelu', alpha: 0.3 }],
  random: (_x, draw) => {
    const fn = draw.pick(ACTIVATION_FNS);
    return fn === 'leakyRelu' ? someOf(draw, { fn, alpha: draw.pick([0.01, 0.2, 0, 1.5]) }, ['fn']) : { fn };
  },
};
