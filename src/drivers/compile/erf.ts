/**
 * The effective receptive field (Luo et al., "Understanding the Effective Receptive Field in Deep Convolutional
 * Neural Networks", NIPS 2016; docs/effective-field.md): the gradient of one unit of a node with respect to the
 * input image, through the compiled tfjs model. Browser-safe (the run worker and `convas erf` share it).
 *
 * tfjs 4.22 has no gradient for a dilated convolution: its `Conv2D` and `DepthwiseConv2dNative` gradients throw
 * for dilation above 1. A dilated kernel is the same kernel with d − 1 zeros between its taps, undilated, so the
 * gradients below run tfjs's own gradient on that zero-stuffed kernel: the same function of the input, so the same
 * gradient, never a silent wrong map.
 */

import * as tf from '@tensorflow/tfjs';
import type { Compiled } from './index.ts';
import { fieldCentre, radius90, type EffectiveField } from './erf-field.ts';
import { installWasmGradKernels } from './wasm-grad-kernels.ts';

export { fieldCentre, radius90, type EffectiveField };

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : typeof v === 'number' ? [v, v] : [1, 1]);

/**
 * `[kh, kw, …]` → `[d_h·(kh−1)+1, d_w·(kw−1)+1, …]`: the taps `dilation` apart, zeros between them.
 * @example stuffDilation(3×3 kernel, [2, 2]) // a 5×5 kernel, its odd rows and columns zero
 */
export function stuffDilation(kernel: tf.Tensor4D, dilation: [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, ci, co] = kernel.shape;
    const [dh, dw] = dilation;
    const spread = tf.pad(kernel.reshape([kh, 1, kw, 1, ci, co]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
    return spread.reshape([kh * dh, kw * dw, ci, co]).slice([0, 0, 0, 0], [dh * (kh - 1) + 1, dw * (kw - 1) + 1, ci, co]) as tf.Tensor4D;
  });
}

let installed = false;

/** Gives tfjs's convolution gradients dilation (see the file's comment); once per process, before any `tf.grad`. */
export function installDilatedGradients(): void {
  // the gradient kernels tfjs's wasm backend lacks or gets wrong (wasm-grad-kernels.ts), checked at every call
  installWasmGradKernels();
  if (installed) return;
  installed = true;
  for (const name of ['Conv2D', 'DepthwiseConv2dNative']) {
    const own = tf.getGradient(name);
    if (!own) throw new Error(`tfjs has no gradient for ${name}`);
    const gradFunc: tf.GradConfig['gradFunc'] = (dy, saved, attrs) => {
      const dilation = pair(attrs.dilations);
      if (dilation[0] === 1 && dilation[1] === 1) return own.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const stuffed = stuffDilation(filter, dilation);
      const g = own.gradFunc(dy, [x, stuffed], { ...attrs, dilations: [1, 1] });
      return {
        x: g.x,
        // the stuffed kernel's gradient at the real taps (the zeros' gradient belongs to no weight)
        filter: () => tf.stridedSlice(g.filter(), [0, 0, 0, 0], stuffed.shape, [dilation[0], dilation[1], 1, 1]),
      };
    };
    const warn = console.warn;
    console.warn = () => {}; // tfjs warns "Overriding the gradient for …": the override is this function's purpose
    try {
      tf.registerGradient({ ...own, gradFunc });
    } finally {
      console.warn = warn;
    }
  }
}

/**
 * The effective receptive field of one unit of node `nodeId` (`unit`, by default the centre one `[⌊Ho/2⌋, ⌊Wo/2⌋]`,
 * as `convas erf` takes; the Run tab passes the unit a person clicked) on `input` (`[1, H, W, C]`, the image as
 * `run` reads it), through `compiled`'s weights.
 * @throws Error naming the node when it has no spatial output, the unit is outside its output, the design has
 *   several inputs, or tfjs cannot differentiate a layer on the path (the message says which op).
 */
export function effectiveField(compiled: Compiled, nodeId: string, input: tf.Tensor, unitAsked?: [number, number]): EffectiveField {
  const out = compiled.outputsByNode.get(nodeId);
  const a = compiled.analysis.nodes.find((n) => n.id === nodeId);
  if (!out || !a) throw new Error(`no layer '${nodeId}' in the design`);
  if (!a.outputShape || a.outputShape.length !== 3) {
    throw new Error(`'${nodeId}' has no spatial output (${a.outputShape ? `[${a.outputShape.join(', ')}]` : 'no shape'}): pick a layer before flatten, dense or global pooling`);
  }
  if (compiled.model.inputs.length !== 1) throw new Error('the effective field needs a design with one input');
  installDilatedGradients();
  const [ho, wo] = a.outputShape;
  const unit: [number, number] = unitAsked ?? [Math.floor(ho / 2), Math.floor(wo / 2)];
  if (!unit.every((u, a) => Number.isInteger(u) && u >= 0 && u < [ho, wo][a])) {
    throw new Error(`unit (${unit.join(', ')}) is outside '${nodeId}''s ${ho}×${wo} output`);
  }
  // shares the compiled model's layers: their weights are the model's, disposed by its owner
  const sub = tf.model({ inputs: compiled.model.inputs, outputs: out });
  const grad = tf.grad((x: tf.Tensor) => {
    const y = sub.apply(x, { training: false }) as tf.Tensor4D;
    return y.slice([0, unit[0], unit[1], 0], [1, 1, 1, y.shape[3]]).sum();
  });
  const g = tf.tidy(() => grad(input).abs().sum(3).squeeze([0]));
  const raw = g.arraySync() as number[][];
  g.dispose();
  const max = raw.reduce((m, row) => Math.max(m, ...row), 0);
  const map = raw.map((row) => row.map((v) => (max > 0 ? v / max : 0)));
  const [h, w] = [map.length, map[0]?.length ?? 0];
  return { node: nodeId, unit, map, theoretical: a.receptiveField, radius90: radius90(map, fieldCentre(a.receptiveField, unit, h, w)) };
}
