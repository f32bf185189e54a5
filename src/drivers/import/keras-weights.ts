/**
 * What a tfjs/Keras weights manifest (model.json's `weightsManifest`) tells the Keras import. A config can leave out a
 * setting the weights still prove: tfjs 4.22's `SeparableConv2D.getConfig` drops `depth_multiplier` (tensorflow/tfjs#6083:
 * a model saved with depth multiplier 6 writes no `depth_multiplier`, but its `depthwise_kernel` is `[5, 5, 3, 6]`), so
 * a config that is silent on it takes it from the kernel (`recoverFromManifest`, before the layers become nodes).
 * Then every node's weights, as its kind makes them from the imported params (engine/weight-shapes.ts), must be the
 * manifest's, layer by layer (`checkAgainstManifest`): a file whose weights do not fit the design read from its
 * config is refused with the layer's name, never imported with other counts. No manifest: nothing to check.
 */

import type { Design } from '../../engine/index.ts';
import { resolve } from '../../engine/resolve.ts';
import { nodeWeightShapes } from '../../engine/weight-shapes.ts';
import { ImportError } from '../../backends/keras-rule.ts';

/** One weight of a manifest: its layer, its name within the layer, its shape. */
export interface ManifestWeight {
  layer: string;
  weight: string;
  shape: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The model weights of a model.json's `weightsManifest` (optimizer weights left out), or null when the file has
 * none. A weight's name is `layer/weight`; the last `/` splits them (a nested model's layers carry its name before).
 * @throws ImportError when the manifest is not a list of groups of named, shaped weights
 */
export function manifestWeights(json: unknown): ManifestWeight[] | null {
  if (!isObject(json) || json.weightsManifest === undefined) return null;
  const groups = json.weightsManifest;
  if (!Array.isArray(groups)) throw new ImportError("field 'weightsManifest': expected a list of weight groups");
  const out: ManifestWeight[] = [];
  for (const [g, group] of groups.entries()) {
    const weights = isObject(group) ? group.weights : undefined;
    if (!Array.isArray(weights)) throw new ImportError(`field 'weightsManifest.${g}.weights': expected a list of weights`);
    for (const [i, w] of weights.entries()) {
      const ok = isObject(w) && typeof w.name === 'string' && Array.isArray(w.shape) && w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0);
      if (!ok) throw new ImportError(`field 'weightsManifest.${g}.weights.${i}': a weight needs a name and a shape of whole numbers`);
      if (w.group === 'optimizer') continue;
      const at = (w.name as string).lastIndexOf('/');
      out.push({ layer: at < 0 ? '' : (w.name as string).slice(0, at), weight: (w.name as string).slice(at + 1), shape: w.shape as number[] });
    }
  }
  return out;
}

/** A layer as the importer parsed it, as far as the manifest needs it. */
interface ConfiguredLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
}

/**
 * Settings a config leaves out that a kernel's shape proves, per class: the depth multiplier of a depthwise or
 * separable convolution is the last axis of its `depthwise_kernel` `[kh, kw, Cin, m]` (Keras's and tfjs's layout).
 * tfjs writes every other setting a kernel shape proves (filters, kernel size, use_bias) in its configs.
 */
const PROVEN: Record<string, { field: string; weight: string; axis: number }[]> = {
  SeparableConv2D: [{ field: 'depth_multiplier', weight: 'depthwise_kernel', axis: 3 }],
  DepthwiseConv2D: [{ field: 'depth_multiplier', weight: 'depthwise_kernel', axis: 3 }],
};

/**
 * Fills in, in place, the settings `layers`' configs leave out and their weights prove (`PROVEN`); returns the
 * layers it changed, with the setting, for the import's messages.
 * @example recoverFromManifest(layers, weights) // → ["layer 'sep': depth_multiplier 6 from depthwise_kernel [5, 5, 3, 6]"]
 */
export function recoverFromManifest(layers: readonly ConfiguredLayer[], weights: readonly ManifestWeight[]): string[] {
  const recovered: string[] = [];
  for (const layer of layers) {
    for (const rule of PROVEN[layer.className] ?? []) {
      if (layer.config[rule.field] !== undefined) continue;
      const w = weights.find((x) => x.layer === layer.name && x.weight === rule.weight);
      if (!w || w.shape.length <= rule.axis || w.shape[rule.axis] < 1) continue;
      layer.config[rule.field] = w.shape[rule.axis];
      recovered.push(`layer '${layer.name}': ${rule.field} ${w.shape[rule.axis]} from ${rule.weight} ${fmt(w.shape)}`);
    }
  }
  return recovered;
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const sortedShapes = (shapes: number[][]) => shapes.map(fmt).sort();

/**
 * Checks every node's weights against the manifest's. `ownerOf` gives the node a layer's weights belong to (its
 * own, or the node a helper layer was folded into: a grouped convolution's `<id>__g<k>`), or null for none. A node
 * made from one layer must hold exactly the shapes the manifest lists for it; one made from several (the groups of a
 * grouped convolution) as many weights in all. `layerOf` names the layer a node came from, for the messages.
 * @throws ImportError naming the layer whose weights do not fit, the manifest's weights of no layer in the design,
 *   or a layer with weights the manifest lacks
 */
export function checkAgainstManifest(
  design: Design, weights: readonly ManifestWeight[], ownerOf: (layer: string) => string | null, layerOf: (node: string) => ConfiguredLayer,
): void {
  const byNode = new Map<string, ManifestWeight[]>();
  for (const w of weights) {
    const node = ownerOf(w.layer);
    if (node === null) throw new ImportError(`the weights manifest holds ${w.layer}/${w.weight} ${fmt(w.shape)}, but the model has no layer '${w.layer}'`);
    byNode.set(node, [...(byNode.get(node) ?? []), w]);
  }
  for (const node of resolve(design).nodes) {
    const roles = Object.entries(nodeWeightShapes(node));
    const want = roles.map(([, shape]) => shape);
    // the kind's roles in Keras's words (depthwiseKernel → depthwise_kernel), for the message
    const made = roles.map(([role, shape]) => `${role.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} ${fmt(shape)}`).join(', ');
    const got = byNode.get(node.id) ?? [];
    const { name, className } = layerOf(node.id);
    const where = `layer '${name}' (${className})`;
    if (want.length === 0 && got.length === 0) continue;
    if (got.length === 0) throw new ImportError(`${where}: the weights manifest has none of its weights (its config makes ${made})`);
    const layers = new Set(got.map((w) => w.layer));
    const fits = layers.size === 1
      ? sortedShapes(want).join() === sortedShapes(got.map((w) => w.shape)).join()
      : want.reduce((n, s) => n + count(s), 0) === got.reduce((n, w) => n + count(w.shape), 0);
    if (!fits) {
      const listed = got.map((w) => `${layers.size === 1 ? '' : `${w.layer}/`}${w.weight} ${fmt(w.shape)}`).join(', ');
      throw new ImportError(`${where}: the weights manifest gives ${listed}, but its config makes ${made}: the weights do not fit the layer`);
    }
  }
}
