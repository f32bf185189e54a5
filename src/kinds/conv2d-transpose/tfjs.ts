/**
 * tfjs rule of `conv2dTranspose`. Where Keras's `Conv2DTranspose` computes what Convas's kind does (`same`, whose
 * crop is TensorFlow's rule; and no crop where the output is what Keras's `valid` gives, in·s + max(k − s, 0) rows:
 * outputPadding 0 with k ≥ s, or s − k with k < s), tfjs's own layer runs it (checked against PyTorch on the wasm
 * and cpu backends: src/drivers/import/conv2d-transpose-kind.test.ts). Everywhere else (an explicit crop, another
 * outputPadding) `ConvasConv2DTranspose` does: the full transposed output, zero-extended and cropped exactly as
 * geometry.ts says, then the bias and the activation. It is registered for (de)serialization, so the tfjs export
 * reloads, and its config reads back through the kind's Keras rule.
 */

import * as tf from '@tensorflow/tfjs';
import type { PaddingValue, Pair } from '../../contract/index.ts';
import { act, apply, kernelAndBias, type MemoryTerms } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';
import { axisPadding, transposedAxis, type TransposedAxis } from './geometry.ts';

type Kwargs = Record<string, unknown>;

/** What `ConvasConv2DTranspose` is built from (Convas's params; `padding` `'valid'` or the crop `[ph, pw]`). */
export interface TransposedLayerArgs {
  filters: number;
  kernelSize: Pair;
  strides: Pair;
  padding: 'valid' | Pair;
  outputPadding: Pair;
  useBias: boolean;
  activation: string;
  name?: string;
}

const axesOf = (size: Pair, a: TransposedLayerArgs): TransposedAxis[] => [0, 1].map((i) => transposedAxis({
  size: size[i], kernel: a.kernelSize[i], stride: a.strides[i], padding: axisPadding(a.padding, i as 0 | 1), outputPadding: a.outputPadding[i],
}));

/**
 * A transposed convolution with PyTorch's explicit crop and output padding on `[B, H, W, Cin]`: kernel
 * `[kh, kw, filters, Cin]` (tfjs's layout), bias `[filters]`. The full output ((in − 1)·s + k rows, tfjs's
 * `conv2dTranspose` op with `valid` padding and that output shape) is zero-extended at the end where the output
 * reaches past it, cropped, and then gets the bias and the activation, so the extended rows hold the bias as in
 * PyTorch.
 */
export class ConvasConv2DTranspose extends tf.layers.Layer {
  static className = 'ConvasConv2DTranspose';
  readonly args: TransposedLayerArgs;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private readonly activationLayer: tf.layers.Layer;
  constructor(args: TransposedLayerArgs) {
    super({ name: args.name });
    this.args = args;
    this.activationLayer = tf.layers.activation({ activation: args.activation as Parameters<typeof tf.layers.activation>[0]['activation'] });
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[3];
    if (cin == null) throw new Error(`${this.name}: the channels of its input are unknown`);
    const [kh, kw] = this.args.kernelSize;
    this.kernel = this.addWeight('kernel', [kh, kw, this.args.filters, cin], 'float32', tf.initializers.zeros());
    if (this.args.useBias) this.bias = this.addWeight('bias', [this.args.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;
    const [h, w] = axesOf([shape[1]!, shape[2]!], this.args);
    return [shape[0], h.out, w.out, this.args.filters];
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const [b, h, w] = x.shape;
      const [ah, aw] = axesOf([h, w], this.args);
      const full = tf.conv2dTranspose(x, this.kernel!.read() as tf.Tensor4D, [b, ah.full, aw.full, this.args.filters], this.args.strides, 'valid');
      const extend = (a: TransposedAxis) => Math.max(a.crop + a.out - a.full, 0);
      const extended = extend(ah) + extend(aw) > 0 ? tf.pad(full, [[0, 0], [0, extend(ah)], [0, extend(aw)], [0, 0]]) : full;
      let y: tf.Tensor = tf.slice(extended, [0, ah.crop, aw.crop, 0], [b, ah.out, aw.out, this.args.filters]);
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activationLayer.apply(y) as tf.Tensor;
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...own } = this.args;
    return { ...super.getConfig(), ...own };
  }
}
tf.serialization.registerClass(ConvasConv2DTranspose);

/**
 * Whether Keras's `Conv2DTranspose` computes the kind's output on this axis: `same`, or no crop with the output
 * Keras's `valid` gives ((in − 1)·s + max(k, s) rows).
 */
export function kerasComputesAxis(padding: 'valid' | 'same' | number, kernel: number, stride: number, outputPadding: number): boolean {
  if (padding === 'same') return true;
  return (padding === 'valid' || padding === 0) && outputPadding === Math.max(stride - kernel, 0);
}

const kerasComputes = (p: { padding: PaddingValue; kernelSize: Pair; strides: Pair; outputPadding: Pair }) =>
  [0, 1].every((a) => kerasComputesAxis(axisPadding(p.padding, a as 0 | 1), p.kernelSize[a], p.strides[a], p.outputPadding[a]));

export const conv2dTransposeTfjs: TfjsRuleOf<'conv2dTranspose'> = {
  compile(ctx) {
    const p = ctx.params;
    if (kerasComputes(p)) {
      const layer = tf.layers.conv2dTranspose({
        filters: p.filters, kernelSize: p.kernelSize, strides: p.strides, padding: p.padding === 'same' ? 'same' : 'valid',
        useBias: p.useBias, activation: act(p.activation), name: ctx.name, kernelInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => (w.bias ? [w.kernel, w.bias] : [w.kernel]));
      return apply(layer, ctx.inputs[0]);
    }
    if (p.padding === 'same') throw new Error('unreachable: Keras computes every "same"');
    const layer = new ConvasConv2DTranspose({
      filters: p.filters, kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, outputPadding: p.outputPadding,
      useBias: p.useBias, activation: act(p.activation), name: ctx.name,
    });
    ctx.assign(layer, (w) => (w.bias ? [w.kernel, w.bias] : [w.kernel]));
    return apply(layer, ctx.inputs[0]);
  },
  readWeights: (ctx) => kernelAndBias(ctx.own()),
  // tfjs-wasm's Conv2DBackpropInput writes its output directly (no packed weights, no indirection buffer); Convas's
  // own layer also holds the full output, its zero-extension and the crop before the bias
  memory({ params: p, inputShapes: [x], outputShape }): MemoryTerms {
    if (kerasComputes(p) || p.padding === 'same') return { elements: 0, indirectionBytes: 0 };
    const [h, w] = axesOf([x[0], x[1]], { ...p, padding: p.padding, activation: p.activation });
    const extended = Math.max(h.full, h.crop + h.out) * Math.max(w.full, w.crop + w.out);
    return { elements: (h.full * w.full + extended + outputShape[0] * outputShape[1]) * p.filters, indirectionBytes: 0 };
  },
};
