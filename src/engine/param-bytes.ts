/**
 * The weights' size at lower precisions (docs/analysis.md#weights-at-lower-precision): float16 and int8 with a
 * float32 scale per output channel, the usual post-training quantisation of TFLite and PyTorch.
 */

import type { Analysis, Design } from '../contract/types.ts';
import type { NodeWeights, WeightDraw, WeightTensor } from '../contract/layer-kind.ts';
import { FLOAT32_BYTES } from '../contract/float32.ts';
import { getLayerKind } from './registry.ts';
import { resolve, type Resolution, type ResolvedNode } from './resolve.ts';

/** `paramBytesFloat16` and `paramBytesInt8` of `totals.memory`. */
export interface ParamPrecisionBytes {
  /** 2 bytes per parameter */
  paramBytesFloat16: number;
  /** 1 byte per kernel element + 4 per kernel output channel (its scale) + 4 per element of every other parameter */
  paramBytesInt8: number;
}

/**
 * The roles that are convolution or dense kernels. A depthwise kernel and a separable conv's two kernels are
 * convolution kernels too: each is quantised with a scale per output channel, as TFLite quantises a depthwise conv.
 */
const KERNEL_ROLES = new Set<keyof NodeWeights>(['kernel', 'depthwiseKernel', 'pointwiseKernel']);

/**
 * The shapes of one resolved node's weights by role, as its kind draws them (`initialWeights`, the one source of
 * every backend's weights), without drawing a value.
 */
export function nodeWeightShapes(node: ResolvedNode): Partial<Record<keyof NodeWeights, number[]>> {
  const shapeOnly = (shape: number[]): WeightTensor => ({ shape, data: new Float32Array(0) });
  const draw: WeightDraw = { glorot: shapeOnly, bias: (n) => shapeOnly([n]), start: shapeOnly };
  const weights = getLayerKind(node.kind)!.initialWeights({ params: node.params, inputShape: node.inputShapes[0], draw }) as NodeWeights;
  const out: Partial<Record<keyof NodeWeights, number[]>> = {};
  for (const [role, t] of Object.entries(weights) as [keyof NodeWeights, WeightTensor | undefined][]) if (t) out[role] = t.shape;
  return out;
}

/**
 * Output channels of a kernel, each of which gets its own scale: a separable conv's depthwise kernel
 * ([kh, kw, Cin, dm] in Keras's layout) has Cin·dm; every other kernel feeds the node's own output, whose last axis
 * is its channels (a conv's filters, a depthwise conv's Cin·dm, a dense layer's units).
 */
function outputChannels(role: keyof NodeWeights, shape: number[], node: ResolvedNode): number {
  if (role === 'depthwiseKernel') return shape[2] * shape[3];
  return node.outputShape[node.outputShape.length - 1];
}

/**
 * The weights' bytes at float16 (2 · params) and int8 (1 byte per element of every convolution, transposed
 * convolution and dense kernel, 4 bytes per output channel of each such kernel for its float32 scale, 4 bytes per
 * element of every other parameter: biases, batch-norm, layer-norm and scale factors). Counts the nodes that
 * resolve (every node of a valid design), as the totals do.
 * @param resolved `resolve(design, analysis)`, where the caller has it already
 * @example paramPrecisionBytes(resnet50, analyze(resnet50)).paramBytesFloat16 // → 51,206,288 (2 · 25,603,144)
 */
export function paramPrecisionBytes(
  design: Design, analysis: Analysis, resolved: Resolution = resolve(design, analysis),
): ParamPrecisionBytes {
  let int8 = 0;
  for (const r of resolved.nodes) {
    for (const [role, shape] of Object.entries(nodeWeightShapes(r)) as [keyof NodeWeights, number[]][]) {
      const elements = shape.reduce((a, b) => a * b, 1);
      int8 += KERNEL_ROLES.has(role) ? elements + FLOAT32_BYTES * outputChannels(role, shape, r) : FLOAT32_BYTES * elements;
    }
  }
  return { paramBytesFloat16: 2 * analysis.totals.params, paramBytesInt8: int8 };
}

/** Bytes in the weights' unit (MB of 2^20 bytes, as Keras's summary and `formatWeightBytes`), one decimal. */
function weightUnit(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/**
 * The weights at three precisions in one line, as the totals panel and `summary` print it.
 * @example formatWeightSizes(4 * 25557032, { paramBytesFloat16: 51114064, paramBytesInt8: 25783776 }) // → '97.5 MB float32 · 48.7 MB float16 · 24.6 MB int8'
 */
export function formatWeightSizes(paramBytes: number, p: ParamPrecisionBytes): string {
  return `${weightUnit(paramBytes)} float32 · ${weightUnit(p.paramBytesFloat16)} float16 · ${weightUnit(p.paramBytesInt8)} int8`;
}
