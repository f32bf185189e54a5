/**
 * The compiled tfjs model's (seeded) weights in PyTorch's layouts, for `model.py`'s `load_convas_weights`.
 * The one module of src/export that touches tfjs, and only through src/compile.
 *
 * Layouts: conv kernel HWIO → OIHW; depthwise kernel [kh, kw, C, dm] → [C·dm, 1, kh, kw] (output channel
 * c·dm + m, as tfjs orders them); a grouped conv's per-group kernels are stacked along O in group order;
 * dense kernel [in, out] → [out, in] (the export's flatten is channels-last, so rows line up); batch norm
 * gamma, beta, moving mean, moving variance → weight, bias, running_mean, running_var.
 */

import type { Design } from '../core/index.ts';
import { compileDesign, layerName, tf, type Compiled } from '../compile/index.ts';
import { pythonNames } from './pytorch.ts';

export interface TorchTensor {
  /** state-dict key, e.g. `conv1.weight` */
  name: string;
  shape: number[];
  /** byte offset into the data file */
  offset: number;
}

export interface TorchWeights {
  manifest: { format: 'convas.torch-weights'; version: 1; data: string; seed: number; tensors: TorchTensor[] };
  data: Uint8Array;
}

/** Reads one layer's weights as [value, shape] pairs (in tfjs's own order). */
function layerWeights(compiled: Compiled, name: string): tf.Tensor[] {
  return compiled.model.getLayer(name).getWeights();
}

/**
 * Converts the weights of a compiled design. `dataFile` is the name the manifest gives the raw file.
 * @example const w = torchWeights(design, compileDesign(design, { seed: 1 }), 'model.weights.bin')
 */
export function torchWeights(design: Design, compiled: Compiled, dataFile: string, seed = 0): TorchWeights {
  const names = pythonNames(design);
  const chunks: Float32Array[] = [];
  const tensors: TorchTensor[] = [];
  let offset = 0;
  const put = (name: string, t: tf.Tensor) => {
    const values = t.dataSync() as Float32Array;
    tensors.push({ name, shape: t.shape.slice(), offset });
    chunks.push(Float32Array.from(values));
    offset += values.length * 4;
  };
  for (const node of design.nodes) {
    const attr = names.get(node.id)!;
    const a = compiled.analysis.nodes.find((n) => n.id === node.id)!;
    const out = compiled.outputsByNode.get(node.id);
    if (!out) continue;
    tf.tidy(() => {
      switch (node.kind) {
        case 'conv2d':
        case 'depthwiseConv2d': {
          const cin = a.inputShapes![0]![2];
          const p = node.params as Record<string, unknown>;
          const groups = node.kind === 'conv2d' ? Number(p.groups ?? 1) : cin;
          const useBias = p.useBias !== false;
          if (groups === 1) {
            const [k, b] = layerWeights(compiled, out.sourceLayer.name);
            put(`${attr}.weight`, k.transpose([3, 2, 0, 1]));
            if (useBias) put(`${attr}.bias`, b);
          } else if (groups === cin) {
            // The compiler's rule: a depthwise layer named after the node (activation included).
            const [k, b] = layerWeights(compiled, out.sourceLayer.name);
            const [kh, kw, c, dm] = k.shape;
            put(`${attr}.weight`, k.transpose([2, 3, 0, 1]).reshape([c * dm, 1, kh, kw]));
            if (useBias) put(`${attr}.bias`, b);
          } else {
            const ks: tf.Tensor[] = [];
            const bs: tf.Tensor[] = [];
            for (let g = 0; g < groups; g++) {
              const [k, b] = layerWeights(compiled, layerName(`${node.id}__g${g}`));
              ks.push(k.transpose([3, 2, 0, 1]));
              if (b) bs.push(b);
            }
            put(`${attr}.weight`, tf.concat(ks, 0));
            if (useBias) put(`${attr}.bias`, tf.concat(bs, 0));
          }
          break;
        }
        case 'dense': {
          const [k, b] = layerWeights(compiled, out.sourceLayer.name);
          put(`${attr}.weight`, k.transpose([1, 0]));
          if (b) put(`${attr}.bias`, b);
          break;
        }
        case 'batchNorm': {
          const [gamma, beta, mean, variance] = layerWeights(compiled, out.sourceLayer.name);
          put(`${attr}.weight`, gamma);
          put(`${attr}.bias`, beta);
          put(`${attr}.running_mean`, mean);
          put(`${attr}.running_var`, variance);
          break;
        }
        default:
          break;
      }
    });
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  return { manifest: { format: 'convas.torch-weights', version: 1, data: dataFile, seed, tensors }, data };
}

/** Compiles with `seed` and converts; the caller disposes nothing (the model is disposed here). */
export function seededTorchWeights(design: Design, seed: number, dataFile: string): TorchWeights {
  const compiled = compileDesign(design, { seed });
  try {
    return torchWeights(design, compiled, dataFile, seed);
  } finally {
    compiled.model.dispose();
  }
}
