/**
 * Keras import of `activation`: an `Activation`, a `ReLU` (plain, capped at 6, or with a negative slope), a
 * `LeakyReLU` or a `Softmax` over the last axis.
 */

import { z } from 'zod';
import { activationIdentifier, activationName, ImportError, kerasClass, type KerasParamsInput } from '../../backends/keras-rule.ts';
import { activationField, commonFields, preview } from '../../backends/keras-schema.ts';
import type { KindParams } from '../registry.ts';
import type { KerasRuleOf } from '../rules.ts';

/** Keras 3's `keras.activations.leaky_relu(x, negative_slope=0.2)`: an `Activation('leaky_relu')` has that slope. */
const LEAKY_RELU_FUNCTION_SLOPE = 0.2;
/** The `LeakyReLU` layer's default slope in Keras 2 (`alpha`), Keras 3 (`negative_slope`) and tfjs (`alpha`). */
const LEAKY_RELU_LAYER_SLOPE = 0.3;

/** A leaky ReLU's slope as the node's alpha; Convas's is ≥ 0, as Keras 3 requires. */
function leaky(name: string, field: string, slope: number): KerasParamsInput<KindParams<'activation'>> {
  if (slope < 0) throw new ImportError(`layer '${name}': field '${field}': ${slope} (Convas's leakyRelu takes a slope ≥ 0, as Keras 3 does)`);
  return { fn: 'leakyRelu', alpha: slope };
}

export const activationKeras: KerasRuleOf<'activation'> = {
  classes: {
    Activation: kerasClass(z.object({ ...commonFields, activation: activationField }), (c, name) => (
      activationIdentifier(c.activation) === 'leaky_relu'
        ? leaky(name, 'activation', LEAKY_RELU_FUNCTION_SLOPE)
        : { fn: activationName(name, c.activation) })),
    ReLU: kerasClass(
      z.object({ ...commonFields, max_value: z.union([z.number(), z.null()]).optional(), negative_slope: z.number().optional(), threshold: z.number().optional() }),
      (c, name) => {
        if ((c.threshold ?? 0) !== 0) throw new ImportError(`layer '${name}': field 'threshold': ${c.threshold} (Convas's ReLU has none)`);
        const max = c.max_value ?? null;
        const slope = c.negative_slope ?? 0;
        if (slope !== 0) {
          if (max !== null) throw new ImportError(`layer '${name}': field 'negative_slope': ${slope} with max_value ${max} (Convas's leakyRelu has no cap)`);
          return leaky(name, 'negative_slope', slope);
        }
        if (max !== null && max !== 6) throw new ImportError(`layer '${name}': field 'max_value': ${max} (Convas has relu and relu6)`);
        return { fn: max === 6 ? 'relu6' : 'relu' };
      },
    ),
    // Keras 2 and tfjs name the slope `alpha`, Keras 3 `negative_slope`
    LeakyReLU: kerasClass(z.object({ ...commonFields, alpha: z.number().optional(), negative_slope: z.number().optional() }), (c, name) => {
      if (c.alpha !== undefined && c.negative_slope !== undefined && c.alpha !== c.negative_slope) {
        throw new ImportError(`layer '${name}': field 'negative_slope': ${c.negative_slope} differs from its alpha ${c.alpha}`);
      }
      return c.negative_slope !== undefined ? leaky(name, 'negative_slope', c.negative_slope) : leaky(name, 'alpha', c.alpha ?? LEAKY_RELU_LAYER_SLOPE);
    }),
    Softmax: kerasClass(z.object({ ...commonFields, axis: z.union([z.number().int(), z.array(z.number().int())]).optional() }), (c, name) => {
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : c.axis ?? -1;
      if (axis !== -1) throw new ImportError(`layer '${name}': field 'axis': softmax over axis ${preview(c.axis)} (Convas's softmax is over the last axis, -1)`);
      return { fn: 'softmax' };
    }),
  },
};
