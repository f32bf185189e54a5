/**
 * Weights in Convas's layouts (Keras/tfjs, channels-last: see engine/initial-weights.ts) → PyTorch state-dict
 * tensors, keyed as the PyTorch export names them (`<attr>.weight`, `.bias`, `.running_mean`, `.running_var`; a
 * separable conv's `<attr>.depthwise.weight`, `.pointwise.weight`, `.pointwise.bias`).
 * Pure TypeScript: the ONNX export (same names, same layouts) and the PyTorch `--weights` files both read it.
 * Each kind's layout is its rule's `stateDict` (`src/kinds/<kind>/torch.ts`, table `src/kinds/torch.ts`).
 *
 * Layouts: conv kernel HWIO [kh, kw, Cin/groups, filters] → OIHW (a grouped conv's output channels are already in
 * PyTorch's group order); depthwise kernel [kh, kw, C, dm] → [C·dm, 1, kh, kw] (output channel c·dm + m, as tfjs
 * orders them); dense kernel [N, units] → [units, N] (the exports flatten channels-last, so rows line up); batch
 * norm gamma, beta, moving mean, moving variance → weight, bias, running_mean, running_var; a separable conv's
 * depthwise kernel as a depthwise conv's and its pointwise [1, 1, C·dm, filters] → OIHW [filters, C·dm, 1, 1].
 */

import { DEFAULT_SEED, nodeInitialWeights, type InitOptions, type NodeWeights, type WeightTensor } from '../../engine/initial-weights.ts';
import type { Analysis, Design } from '../../engine/index.ts';
import { pythonNames, torchStateDictKey } from '../../engine/names.ts';
import { callRule, kindWeights, resolve, type ResolvedNode } from '../../engine/resolve.ts';
import { TORCH_RULES } from '../../kinds/torch.ts';

export type { WeightTensor };

/**
 * One node's weights as PyTorch tensors `[suffix, tensor]` (`weight`, `bias`, `running_mean`, `running_var`), by
 * its kind's rule (`stateDict` in `src/kinds/<kind>/torch.ts`). `w` are the node's weights as its kind draws them.
 */
function torchTensorsOfNode(r: ResolvedNode, w: NodeWeights): [string, WeightTensor][] {
  return callRule(TORCH_RULES, r, (rule, n) => rule.stateDict(kindWeights(n, w)));
}

/**
 * Every node's weights as PyTorch state-dict tensors, in design order (of an invalid design, the nodes that
 * resolve: see `resolve`). `weightsOf` gives a node's weights in
 * Convas's layouts (default: the seeded generator's, `seed` default `DEFAULT_SEED`); `weights` (an imported model's,
 * by node id) replaces the seeded ones for the nodes it holds, as `compileDesign`'s option of the same name does.
 * @example torchStateDict(design, analysis, { seed: 1 }).get('conv1.weight')!.shape  // [64, 3, 7, 7]
 */
export function torchStateDict(
  design: Design, analysis: Analysis,
  options: { seed?: number; init?: InitOptions; weightsOf?: (nodeId: string) => NodeWeights; weights?: ReadonlyMap<string, NodeWeights> } = {},
): Map<string, WeightTensor> {
  const names = pythonNames(design);
  const resolved = resolve(design, analysis);
  const seed = options.seed ?? DEFAULT_SEED;
  const state = new Map<string, WeightTensor>();
  // in design order (the order of the weights file and of the ONNX initializers), not the resolution's
  for (const node of design.nodes) {
    const r = resolved.byId.get(node.id);
    if (r?.node !== node || r.inputShapes.length === 0) continue; // an input node (or one an error stopped)
    const w = options.weightsOf ? options.weightsOf(node.id) : options.weights?.get(node.id) ?? nodeInitialWeights(r, seed, options.init);
    for (const [suffix, t] of torchTensorsOfNode(r, w)) state.set(torchStateDictKey(names.get(node.id)!, suffix), t);
  }
  return state;
}

export interface TorchTensor {
  /** state-dict key, e.g. `conv1.weight` */
  name: string;
  shape: number[];
  /** byte offset into the data file */
  offset: number;
}

/** What `model.py`'s `load_convas_weights` reads: a manifest and one raw little-endian float32 file. */
export interface TorchWeights {
  manifest: { format: 'convas.torch-weights'; version: 1; data: string; seed: number | null; tensors: TorchTensor[] };
  data: Uint8Array;
}

/**
 * Packs state-dict tensors as `load_convas_weights` files. `seed` is recorded in the manifest (null for weights
 * that were not drawn from a seed). `dataFile` is the name the manifest gives the raw file.
 */
export function packTorchWeights(state: Map<string, WeightTensor>, dataFile: string, seed: number | null): TorchWeights {
  let total = 0;
  for (const t of state.values()) total += t.data.byteLength;
  const data = new Uint8Array(total);
  const tensors: TorchTensor[] = [];
  let offset = 0;
  for (const [name, t] of state) {
    data.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), offset);
    tensors.push({ name, shape: t.shape.slice(), offset });
    offset += t.data.byteLength;
  }
  return { manifest: { format: 'convas.torch-weights', version: 1, data: dataFile, seed, tensors }, data };
}

/**
 * The seed's initial weights (the ones tfjs and the ONNX export hold for that seed) as `load_convas_weights` files.
 * @example const w = seededTorchWeights(design, analysis, 1, 'model.weights.bin')
 */
export function seededTorchWeights(design: Design, analysis: Analysis, seed: number, dataFile: string): TorchWeights {
  return packTorchWeights(torchStateDict(design, analysis, { seed }), dataFile, seed);
}
