/**
 * A compiled tfjs model's weights (seeded, or loaded from a trained model) in PyTorch's layouts, for `model.py`'s
 * `load_convas_weights`. The one module of src/export that touches tfjs, and only through src/compile: it reads
 * each node's weights back into Convas's layouts (a grouped conv's per-group kernels joined along the filters, a
 * depthwise-compiled grouped conv's kernel read as [kh, kw, 1, filters]) and converts them with torch-layout.ts.
 * Seeded weights need no tfjs at all: `seededTorchWeights` in torch-layout.ts gives the same bytes.
 */

import type { Design } from '../core/index.ts';
import type { NodeWeights, WeightTensor } from '../core/initial-weights.ts';
import { layerName, tf, type Compiled } from '../compile/index.ts';
import { packTorchWeights, torchStateDict, type TorchWeights } from './torch-layout.ts';

export type { TorchTensor, TorchWeights } from './torch-layout.ts';

const read = (t: tf.Tensor): WeightTensor => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });

/** Concatenation along the last axis of row-major tensors with equal leading dims. */
function joinLastAxis(parts: WeightTensor[]): WeightTensor {
  const lead = parts[0].shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const data = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let at = r * total;
    parts.forEach((p, k) => {
      data.set(p.data.subarray(r * widths[k], (r + 1) * widths[k]), at);
      at += widths[k];
    });
  }
  return { shape: [...lead, total], data };
}

/** One node's weights as the compiled model holds them, in Convas's layouts (core/initial-weights.ts). */
export function compiledNodeWeights(design: Design, compiled: Compiled, nodeId: string): NodeWeights {
  const node = design.nodes.find((n) => n.id === nodeId)!;
  const out = compiled.outputsByNode.get(nodeId);
  if (!out) return {};
  const a = compiled.analysis.nodes.find((n) => n.id === nodeId)!;
  const layer = (name: string) => compiled.model.getLayer(name).getWeights().map(read);
  const p = node.params as Record<string, unknown>;
  switch (node.kind) {
    case 'conv2d': {
      const cin = a.inputShapes![0]![2];
      const groups = Number(p.groups ?? 1);
      if (groups === 1) {
        const [kernel, bias] = layer(out.sourceLayer.name);
        return bias ? { kernel, bias } : { kernel };
      }
      if (groups === cin) {
        const [k, bias] = layer(out.sourceLayer.name);
        const kernel = { shape: [k.shape[0], k.shape[1], 1, k.shape[2] * k.shape[3]], data: k.data };
        return bias ? { kernel, bias } : { kernel };
      }
      const per = Array.from({ length: groups }, (_, g) => layer(layerName(`${nodeId}__g${g}`)));
      const kernel = joinLastAxis(per.map((w) => w[0]));
      return per[0][1] ? { kernel, bias: joinLastAxis(per.map((w) => w[1])) } : { kernel };
    }
    case 'depthwiseConv2d':
    case 'dense': {
      const [kernel, bias] = layer(out.sourceLayer.name);
      return bias ? { kernel, bias } : { kernel };
    }
    case 'batchNorm': {
      const [gamma, beta, movingMean, movingVariance] = layer(out.sourceLayer.name);
      return { gamma, beta, movingMean, movingVariance };
    }
    default:
      return {};
  }
}

/**
 * Converts the weights of a compiled design. `dataFile` is the name the manifest gives the raw file; `seed` the
 * seed the manifest records (null for loaded weights).
 * @example const w = torchWeights(design, compileDesign(design, { seed: 1 }), 'model.weights.bin', 1)
 */
export function torchWeights(design: Design, compiled: Compiled, dataFile: string, seed: number | null): TorchWeights {
  const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(design, compiled, id) });
  return packTorchWeights(state, dataFile, seed);
}
