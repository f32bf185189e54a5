/**
 * Keras import of `conv2dTranspose`: Keras's (and tfjs's) `Conv2DTranspose`, and Convas's own
 * `ConvasConv2DTranspose` (its tfjs export of an explicit crop or output padding, tfjs.ts).
 *
 * Keras's `Conv2DTranspose` is read by what it computes, per axis (`kerasTransposedAxis`): Keras makes its output
 * Δ + (in − 1)·s rows long and drops the first c rows of the full output (TensorFlow's `conv2d_transpose`: c =
 * ⌊max(k − Δ, 0)/2⌋ for `same`, 0 for `valid`), where Δ is max(k, s) for `valid` and s for `same`, or with an
 * `output_padding` op, k − 2·pad + op (pad 0 for `valid`, ⌊k/2⌋ for `same`). That is Convas's `same` where Δ = s
 * and c is its crop, else Convas's explicit crop p = c with outputPadding Δ − k + 2c where that lies in 0 … s − 1.
 * Anything else (an odd output padding with `same`, dilation above 1) is refused, naming the layer and field.
 */

import { z } from 'zod';
import { activationName, ImportError, int2, kerasClass, pair, type KerasParamsInput } from '../../backends/keras-rule.ts';
import { activationField, commonFields, int2 as int2Field, nonNegInt, paddingWord, posInt } from '../../backends/keras-schema.ts';
import type { KindParams } from '../registry.ts';
import type { KerasRuleOf } from '../rules.ts';

/** An int or a list of 1–2 ints ≥ 0 (output_padding, an explicit crop). */
const nonNeg2 = z.union([nonNegInt, z.array(nonNegInt).min(1).max(2)], { error: 'expected an integer ≥ 0 or a list of 1 or 2 of them' });

/**
 * What one axis of Keras's `Conv2DTranspose` computes, in Convas's terms: whether it is Convas's `same`, and the
 * explicit crop and outputPadding that give it, where some do (else null).
 * @example kerasTransposedAxis(1, 2, 'valid', null) // → { same: false, explicit: [0, 1] } (Keras's valid is in·s rows)
 * @example kerasTransposedAxis(3, 2, 'same', 1) // → { same: true, explicit: null }
 */
export function kerasTransposedAxis(kernel: number, stride: number, word: 'valid' | 'same', outputPadding: number | null): { same: boolean; explicit: [number, number] | null } {
  const k = kernel;
  const s = stride;
  let delta: number;
  if (outputPadding === null) delta = word === 'valid' ? Math.max(k, s) : s;
  else delta = k - 2 * (word === 'same' ? Math.floor(k / 2) : 0) + outputPadding;
  const crop = word === 'same' ? Math.floor(Math.max(k - delta, 0) / 2) : 0;
  const same = delta === s && crop === Math.floor(Math.max(k - s, 0) / 2);
  const op = delta - k + 2 * crop;
  return { same, explicit: op >= 0 && op < s ? [crop, op] : null };
}

export const conv2dTransposeKeras: KerasRuleOf<'conv2dTranspose'> = {
  classes: {
    Conv2DTranspose: kerasClass(
      z.object({
        ...commonFields, filters: posInt, kernel_size: int2Field, strides: int2Field.optional(), padding: paddingWord.optional(),
        output_padding: z.union([nonNeg2, z.null()]).optional(), dilation_rate: int2Field.optional(), use_bias: z.boolean().optional(),
        activation: activationField.optional(),
      }),
      (c, name): KerasParamsInput<KindParams<'conv2dTranspose'>> => {
        const kernel = pair(c.kernel_size);
        const strides = pair(c.strides ?? 1);
        const dilation = pair(c.dilation_rate ?? 1);
        if (dilation[0] !== 1 || dilation[1] !== 1) {
          throw new ImportError(`layer '${name}': field 'dilation_rate': ${JSON.stringify(c.dilation_rate)} (Convas's conv2dTranspose has no dilation)`);
        }
        const word = c.padding ?? 'valid';
        const op = c.output_padding == null ? null : pair(c.output_padding);
        if (op && (op[0] >= strides[0] || op[1] >= strides[1])) {
          throw new ImportError(`layer '${name}': field 'output_padding': ${JSON.stringify(c.output_padding)} is not smaller than the strides ${JSON.stringify(strides)}`);
        }
        const axes = [0, 1].map((a) => kerasTransposedAxis(kernel[a], strides[a], word, op ? op[a] : null));
        const common = {
          filters: c.filters, kernelSize: int2(c.kernel_size), strides: int2(strides), useBias: c.use_bias ?? true,
          activation: activationName(name, c.activation),
        };
        if (axes.every((x) => x.same)) return { ...common, padding: 'same' as const };
        const [h, w] = axes.map((x) => x.explicit);
        if (!h || !w) {
          throw new ImportError(`layer '${name}': field 'output_padding': ${JSON.stringify(c.output_padding ?? null)} with padding "${word}", kernel ${JSON.stringify(kernel)} and strides ${JSON.stringify(strides)} crops the full output unevenly, which neither Convas's "same" nor a crop of equal sides (PyTorch's padding) with an outputPadding below the stride computes`);
        }
        const crop: [number, number] = [h[0], w[0]];
        return { ...common, padding: crop[0] === 0 && crop[1] === 0 ? 'valid' : int2(crop), outputPadding: int2([h[1], w[1]]) };
      },
    ),
    ConvasConv2DTranspose: kerasClass(
      z.object({
        ...commonFields, filters: posInt, kernel_size: int2Field, strides: int2Field, padding: z.union([z.literal('valid'), nonNeg2]),
        output_padding: nonNeg2, use_bias: z.boolean(), activation: activationField,
      }),
      (c, name) => ({
        filters: c.filters, kernelSize: int2(c.kernel_size), strides: int2(c.strides),
        padding: c.padding === 'valid' ? 'valid' : int2(c.padding), outputPadding: int2(c.output_padding),
        useBias: c.use_bias, activation: activationName(name, c.activation),
      }),
    ),
  },
};
