/**
 * The weights' size at lower precisions (docs/analysis.md#weights-at-lower-precision): float16 and int8 with a
 * float32 scale per output channel, the usual post-training quantisation of TFLite and PyTorch.
 */

import type { Analysis, Design, DesignNode, NodeAnalysis, Shape } from '../contract/types.ts';
import type { NodeWeights } from '../contract/layer-kind.ts';
import { FLOAT32_BYTES } from '../contract/float32.ts';
import { sameShape } from '../contract/shape.ts';
import { rowsInDesignOrder } from './analyze.ts';
import { nodeParams } from './resolve.ts';
import { nodeWeightShapes } from './weight-shapes.ts';

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
const KERNEL_ROLES = new Set<string>(['kernel', 'depthwiseKernel', 'pointwiseKernel'] satisfies (keyof NodeWeights)[]);

/**
 * Output channels of a kernel, each of which gets its own scale: a separable conv's depthwise kernel
 * ([kh, kw, Cin, dm] in Keras's layout) has Cin·dm; every other kernel feeds the node's own output, whose last axis
 * is its channels (a conv's filters, a depthwise conv's Cin·dm, a dense layer's units).
 */
function outputChannels(role: string, shape: number[], output: readonly number[]): number {
  if (role === 'depthwiseKernel') return shape[2] * shape[3];
  return output[output.length - 1];
}

/**
 * Calls `visit` with each node of `design` and its analysis row, for the nodes the analysis computed (an output
 * shape): the first node of each id, as `resolve` takes them. The rows are positional (`analyze` gives row i to
 * node i), so this is one pass; an analysis of another origin whose rows are not is matched by id.
 */
function forEachComputed(design: Design, analysis: Analysis, visit: (node: DesignNode, row: NodeAnalysis) => void): void {
  const nodes = design.nodes;
  const rows = analysis.nodes;
  if (rowsInDesignOrder(design, analysis)) {
    // a repeated id's later entries have blank rows (no output shape): the first entry is the one counted
    for (let i = 0; i < nodes.length; i++) if (rows[i].outputShape) visit(nodes[i], rows[i]);
    return;
  }
  const byId = new Map<string, NodeAnalysis>();
  for (const r of rows) if (!byId.has(r.id)) byId.set(r.id, r);
  const seen = new Set<string>();
  for (const node of nodes) {
    if (seen.has(node.id)) continue; // a repeated id is one node: its first entry
    seen.add(node.id);
    const row = byId.get(node.id);
    if (row?.outputShape) visit(node, row);
  }
}

const NO_SHAPES: readonly Shape[] = [];

/**
 * The weights' bytes at float16 (2 · params) and int8 (1 byte per element of every convolution, transposed
 * convolution and dense kernel, 4 bytes per output channel of each such kernel for its float32 scale, 4 bytes per
 * element of every other parameter: biases, batch-norm, layer-norm and scale factors). Counts the nodes the
 * analysis computed (every node of a valid design), as the totals do. One pass over the analysis' rows, reading the
 * params it validated: linear in the nodes.
 * @example paramPrecisionBytes(resnet50, analyze(resnet50)).paramBytesFloat16 // → 51,206,288 (2 · 25,603,144)
 */
export function paramPrecisionBytes(design: Design, analysis: Analysis): ParamPrecisionBytes {
  let int8 = 0;
  // layers written alike share one validated params object (the analysis' ParamsMemo): their int8 bytes are the
  // same function of kind, params and input shapes, worked out once per kind and input shapes
  const alike = new Map<object, { kind: string; inputs: readonly Shape[]; bytes: number }[]>();
  forEachComputed(design, analysis, (node, row) => {
    const params = nodeParams(node, row);
    const output = row.outputShape;
    if (!params || !output) return;
    // a row with an output shape was computed from its inputs' shapes, none of them null
    const inputs = (row.inputShapes ?? NO_SHAPES) as Shape[];
    let seen = alike.get(params);
    const hit = seen?.find((s) => s.kind === node.kind && sameShapes(s.inputs, inputs));
    if (hit) {
      int8 += hit.bytes;
      return;
    }
    let bytes = 0;
    const shapes = nodeWeightShapes({ kind: node.kind, params, inputShapes: inputs });
    for (const role in shapes) {
      const shape = shapes[role];
      let elements = 1;
      for (let i = 0; i < shape.length; i++) elements *= shape[i];
      bytes += KERNEL_ROLES.has(role) ? elements + FLOAT32_BYTES * outputChannels(role, shape, output) : FLOAT32_BYTES * elements;
    }
    int8 += bytes;
    if (!seen) alike.set(params, (seen = []));
    if (seen.length < 8) seen.push({ kind: node.kind, inputs, bytes });
  });
  return { paramBytesFloat16: 2 * analysis.totals.params, paramBytesInt8: int8 };
}

/** The same list of shapes, each the same (`sameShape`). */
function sameShapes(a: readonly Shape[], b: readonly Shape[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameShape(a[i], b[i])) return false;
  return true;
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
