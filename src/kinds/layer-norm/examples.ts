import type { KindExamples } from '../example.ts';

/**
 * A layer norm on a map or a flat vector: at ConvNeXt's epsilon (the default) and at PyTorch's.
 *
 * Random: Keras's epsilon and larger ones (a large one visibly shrinks the output, so a misplaced epsilon shows),
 * always stated. Not ConvNeXt's 1e-6 or PyTorch's 1e-5: generated designs often give a pixel channels that are all
 * equal (a concat of one tensor with itself, a constant map), whose variance is 0 in exact arithmetic; the float32
 * means of tfjs, PyTorch and onnxruntime then differ by an ulp, which 1/√ε turns into 1e-4 of the output at ε 1e-6:
 * the frameworks disagree by rounding, not by a fault. Small epsilons are compared on random data instead
 * (src/drivers/import/layer-norm-kind.test.ts).
 */
export const layerNormExamples: KindExamples<'layerNorm'> = {
  fits: () => [{}, { epsilon: 1e-5 }],
  random: (_x, draw) => ({ epsilon: draw.pick([1e-3, 1e-2, 0.5]) }),
};
