/**
 * Compiler: a Convas design → a tfjs `LayersModel` (functional API). Together with the kinds' tfjs rules
 * (`src/kinds/<kind>/tfjs.ts`, the table `TFJS_RULES` in `src/kinds/tfjs.ts`) and the helpers they share
 * (src/backends: `tfjs-rule.ts`, custom layers in `tfjs-layers.ts`), src/drivers/compile is the only code that imports tfjs.
 * This file dispatches each node to its kind's rule; it names no kind. Browser-safe: no Node modules here.
 *
 * Semantics (the rules of docs/design-format.md):
 * - explicit padding → `zeroPadding2d` + `'valid'`; `'same'` is tfjs `'same'` (the TensorFlow rule), except
 *   for convolutions where tfjs-wasm computes it wrongly (see `padded` in tfjs-rule.ts): there explicit too.
 * - `ceilMode` pools: the extra bottom/right rows and columns are padded explicitly. Max pools pad with −∞
 *   (a `ConstantPad2d` layer), so padding never wins a max. Avg pools pad with zeros and count the explicit
 *   padding (PyTorch's `count_include_pad=True`) but not the extra ceil-mode cells: a `PoolCountScale` layer
 *   rescales the last row/column by full window / covered cells, as PyTorch divides.
 *   `'same'` avg pools are tfjs's, which leave the padding out of the count (the TensorFlow rule).
 * - depthwise convolutions are `DepthwiseConv2D` of tfjs-layers.ts: tfjs's own ignores the dilation.
 * - separable convolutions are tfjs's `SeparableConv2D`, mended to save its depth multiplier (in its kind's tfjs.ts).
 * - `groups`: groups == Cin → `depthwiseConv2d` (depth multiplier filters/Cin; same channel order and
 *   parameter count as a grouped conv); other groups → per-group channel slices, one `conv2d` each,
 *   concatenated in group order.
 * - inputs of `add`/`concat` come in port order: `targetPort` where given, else edge order.
 * - weights come from the one seeded generator (`engine/initial-weights.ts`, default seed `DEFAULT_SEED`), the
 *   same numbers the ONNX and PyTorch exports hold: layers are built with zero initializers and the generator's
 *   values are set once the model stands.
 * - a tensor given to one layer twice (`add` of x and x) reaches it the second time through a `reshape` to its own
 *   shape (`<id>__dup<k>`): tfjs's executor counts the consumers of a tensor but decrements per input, so it
 *   disposed such a tensor while another layer still needed it.
 * - `flatten` of a flat `[N]` passes it through (a `reshape` to `[N]`; tfjs's flatten wants rank ≥ 3).
 * - a node whose kind reads nothing (arity 0: `input`) is a model input (`tf.input`).
 * - a dilated strided convolution runs at stride 1 and keeps every s-th output (`convWindow` in tfjs-rule.ts):
 *   tfjs runs dilation only with stride 1.
 * The compiled model is cross-checked: `countParams()` equals the analysis, and each node's tfjs output
 * shape equals its analysed shape.
 */

import * as tf from '@tensorflow/tfjs';
import { analyze, formatError, isInputKind, modelIO, outputNodes, sameShape, formatCompact, formatInt, nodeDepths, nodeLabel } from '../../engine/index.ts';
import type { Analysis, Design } from '../../engine/index.ts';
import { DEFAULT_SEED, nodeInitialWeights, type InitOptions, type NodeWeights, type WeightTensor } from '../../engine/initial-weights.ts';
import { layerName, tfjsLayerNames, tfjsModelName } from '../../engine/names.ts';
import { callRule, kindWeights, resolve, type Resolution, type ResolvedNode } from '../../engine/resolve.ts';
import { apply, CompileError } from '../../backends/tfjs-rule.ts';
import { TFJS_RULES } from '../../kinds/tfjs.ts';
import { expectedTime } from './budget.ts';

export { CompileError, layerName };

/**
 * Most tfjs layers on one path from an input to an output (padding and other helper layers included). tfjs's
 * `tf.model()` walks the graph recursively (`buildMapOfGraph`), one stack frame per layer in a row: measured
 * with Node's default stack, a chain of 4,400 layers compiles and 4,600 overflow. Browsers' worker stacks can
 * be smaller, so the limit keeps a margin of over 2×; the deepest classic networks (DenseNet-201, ResNet-152)
 * are under 1,000.
 */
export const MAX_TFJS_DEPTH = 2000;

export { DEFAULT_MAC_BUDGET, MACS_PER_SECOND, expectedTime, formatSeconds } from './budget.ts';

/** Default memory budget for weights + activations of one forward pass (float32, batch 1): 2 GiB. */
export const DEFAULT_MEMORY_BUDGET = 2 * 2 ** 30;

export interface CompileOptions {
  /** weight-initialisation seed (default `DEFAULT_SEED`, the one the editor and every command use) */
  seed?: number;
  /** options of the weight generator (tests: every tensor random) */
  init?: InitOptions;
  /**
   * node id → weights in Convas's layouts (an imported model's, drivers/import/onnx-import.ts) used instead of the
   * seed's for the nodes it holds; a tensor of another shape than the node's is refused naming the node and both
   */
  weights?: ReadonlyMap<string, NodeWeights>;
  /** refuse designs whose float32 weights + activations exceed this many bytes (default 2 GiB) */
  memoryBudgetBytes?: number;
  /**
   * refuse designs whose forward pass needs more multiply-accumulates (default: no limit, for exports that only
   * compile; the runs, `convas run` and the Run tab, pass `DEFAULT_MAC_BUDGET`)
   */
  macBudget?: number;
  /** the backend the model will run on, for the expected time in a refusal (default wasm) */
  backend?: string;
}

export interface Compiled {
  model: tf.LayersModel;
  /** node id → the symbolic tensor of that node's output */
  outputsByNode: Map<string, tf.SymbolicTensor>;
  /**
   * node id → the name of its own tfjs layer (`RuleContext.name`) and of each helper layer by suffix (`helper`):
   * where its weights are read back (the layer giving a node's output may be a helper, e.g. `<id>__stride`)
   */
  layersByNode: Map<string, { name: string; helpers: Map<string, string> }>;
  analysis: Analysis;
  /** the design as it was compiled (`resolve`): where a node's weights are read back */
  resolved: Resolution;
}

/**
 * An upper bound on the memory one forward pass takes (batch 1, float32) on tfjs's wasm backend with XNNPACK, the
 * largest of the backends Convas runs (the cpu backend takes less), in bytes, framework and runtime not counted:
 * - every weight twice (the initializer's JS array and the copy in the wasm heap), plus one transient copy of
 *   the largest layer's weights (a dense layer's matmul transposes its kernel: VGG-16);
 * - XNNPACK's packed copy of each convolution's weights, its output channels rounded up to a multiple of 8 per
 *   group (a 1-filter 4096×4096 conv packs 8× its weights: the measured 2.3 GB of a "576 MiB" design);
 * - every node's activations kept, plus a JS copy of each input and of each output read back;
 * - the largest convolution's indirection buffer, one 4-byte pointer per output pixel and kernel tap;
 * - a dilated strided convolution's stride-1 output (tfjs runs it at stride 1, then subsamples: `convWindow`).
 * plus 10% allocator slack. Measured peaks (RSS above an idle run) stay below it: a 1-filter 4096×4096 conv on
 * 4096×4096×3 2,327 MiB (bound 2,816), two 1024×1024×64 convs 822 (911), a 8192→16384 dense 1,007 (1,690),
 * VGG-16 1,084 (1,721), ResNet-50 299 (485). The convolution terms (packed weights, indirection buffer, stride-1
 * output) are each kind's tfjs rule's `memory` (`convMemory` in tfjs-rule.ts); without `design` they are left out.
 * @param resolved `resolve(design, analysis)`, where the caller has it already
 */
export function estimateMemoryBytes(
  analysis: Analysis, design?: Design, resolved: Resolution | undefined = design && resolve(design, analysis),
): number {
  let elements = 2 * analysis.totals.params;
  let largest = 0;
  let indirection = 0;
  const outputs = new Set(outputNodes({ nodes: analysis.nodes, edges: design?.edges ?? [], outputs: design?.outputs }).map((n) => n.id));
  for (const n of analysis.nodes) {
    const size = n.outputShape ? n.outputShape.reduce((a, b) => a * b, 1) : 0;
    elements += size;
    if (isInputKind(n.kind) || (design && outputs.has(n.id))) elements += size;
    if (n.params > largest) largest = n.params;
    const r = resolved?.byId.get(n.id);
    if (r?.analysis !== n || r.inputShapes.length === 0) continue;
    const terms = callRule(TFJS_RULES, r, (rule, { params, inputShapes, outputShape }) => rule.memory({ params, inputShapes, outputShape }));
    elements += terms.elements;
    indirection = Math.max(indirection, terms.indirectionBytes);
  }
  // 10% for the wasm heap's allocator slack: the closest measured case (two 1024×1024×64 convs) peaks at 0.99
  // of the sum above.
  return Math.ceil(((elements + largest) * 4 + indirection) * 1.1);
}

function tooDeep(what: string): CompileError {
  return new CompileError(
    `the longest path from an input is ${what}; tfjs builds a model recursively and Convas runs at most `
    + `${formatInt(MAX_TFJS_DEPTH)} layers in a row (its stack overflows at about 4,500 in Node)`,
    'unsupported',
  );
}

/**
 * The number of tfjs layers on the longest path ending at `out`, input layer included, walking back through the
 * layers a node added until tensors already in `known`; records the answer in `known`. Iterative.
 */
function layersDeep(out: tf.SymbolicTensor, known: Map<tf.SymbolicTensor, number>): number {
  const stack: [tf.SymbolicTensor, boolean][] = [[out, false]];
  while (stack.length) {
    const [t, expanded] = stack.pop()!;
    if (known.has(t) && !expanded) continue;
    // An input layer's node lists its own output as its input: it starts a path.
    const ins = (t.sourceLayer.inboundNodes[t.nodeIndex]?.inputTensors ?? []).filter((i) => i !== t);
    if (expanded) {
      let d = 0;
      for (const i of ins) d = Math.max(d, known.get(i) ?? 0);
      known.set(t, d + 1);
    } else {
      stack.push([t, true]);
      for (const i of ins) if (!known.has(i)) stack.push([i, false]);
    }
  }
  return known.get(out)!;
}

const mb = (bytes: number) => `${formatInt(Math.round(bytes / 2 ** 20))} MiB`;


/**
 * Compiles a design into a tfjs model. Refuses (a `CompileError`) an invalid design with its analysis errors,
 * a design above the memory budget before allocating anything, and combinations tfjs cannot run.
 * @example const { model } = compileDesign(design, { seed: 1 }); model.predict(tf.zeros([1, 32, 32, 3]))
 */
export function compileDesign(design: Design, options: CompileOptions = {}): Compiled {
  const analysis = analyze(design);
  if (!analysis.valid) {
    const lines = analysis.errors.slice(0, 5).map((e) => formatError(e, design));
    const more = analysis.errors.length > 5 ? ` (and ${analysis.errors.length - 5} more)` : '';
    throw new CompileError(`invalid design: ${lines.join('; ')}${more}`, 'invalid', analysis.errors[0]?.nodeId);
  }
  if (!design.nodes.some((n) => isInputKind(n.kind))) {
    throw new CompileError(
      design.nodes.length ? 'the design has no input layer: nothing to run' : 'the design is empty: add an input layer and the layers to run',
      'invalid',
    );
  }
  // Before any tfjs work: every node is at least one layer, so a path of more nodes than the limit cannot run.
  let longest = 0;
  for (const d of nodeDepths(design).values()) if (d + 1 > longest) longest = d + 1;
  if (longest > MAX_TFJS_DEPTH) throw tooDeep(`${formatInt(longest)} layers`);
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  // The design is valid: every node resolves, in topological order (the memory bound and the layers read it).
  const resolved = resolve(design, analysis);
  const need = estimateMemoryBytes(analysis, design, resolved);
  if (need > budget) {
    throw new CompileError(
      `design needs up to ${mb(need)} for a forward pass (float32 weights, their packed copies and every activation), above the ${mb(budget)} memory budget`,
      'memory',
    );
  }
  const macBudget = options.macBudget ?? Infinity;
  if (analysis.totals.macs > macBudget) {
    const g = (m: number) => `${formatCompact(m)}MACs`;
    throw new CompileError(
      `design needs ${g(analysis.totals.macs)} for one forward pass (${expectedTime(analysis.totals.macs, options.backend ?? 'wasm')}), `
      + `above the ${g(macBudget)} compute budget`,
      'compute',
    );
  }
  const seed = options.seed ?? DEFAULT_SEED;
  /** layers waiting for their weights, in node order: [node, layer, pick] */
  const pending: [ResolvedNode, tf.layers.Layer, (w: NodeWeights) => WeightTensor[]][] = [];

  const names = tfjsLayerNames();

  const outputsByNode = new Map<string, tf.SymbolicTensor>();
  const layersByNode = new Map<string, { name: string; helpers: Map<string, string> }>();
  // tfjs layers on the longest path to each node's output, helper layers included (checked before tf.model).
  const layerDepth = new Map<tf.SymbolicTensor, number>();
  for (const r of resolved.nodes) {
    const { id, node, analysis: a, inputs: srcs, inputShapes } = r;
    const helpers = new Map<string, string>();
    const helper = (suffix: string) => {
      const name = names.helper(id, suffix);
      helpers.set(suffix, name);
      return name;
    };
    // A source given twice reaches the layer the second time as a copy of its own (see the header).
    const seen = new Set<string>();
    const nodeInputs = srcs.map((s, k) => {
      const t = outputsByNode.get(s)!;
      if (!seen.has(s)) {
        seen.add(s);
        return t;
      }
      return apply(tf.layers.reshape({ targetShape: [...inputShapes[k]], name: helper(`dup${k}`) }), t);
    });
    const name = names.node(id);
    layersByNode.set(id, { name, helpers });
    const out = callRule(TFJS_RULES, r, (rule, n) => rule.compile({
      node, params: n.params, analysis: a, name, helper, inputs: nodeInputs, inputShapes,
      // the weights `pick` reads are the ones this node's kind draws (nodeInitialWeights dispatches to it)
      assign: (layer, pick) => pending.push([r, layer, (w) => pick(kindWeights(n, w))]),
    }));
    const got = out.shape.slice(1);
    if (!a.outputShape || !sameShape(got, a.outputShape)) {
      throw new CompileError(
        `${nodeLabel(node)}: tfjs output shape [${got.join(', ')}] differs from the analysis [${(a.outputShape ?? []).join(', ')}]`,
        'mismatch', id,
      );
    }
    outputsByNode.set(id, out);
    const depth = layersDeep(out, layerDepth);
    if (depth > MAX_TFJS_DEPTH) throw tooDeep(`${formatInt(depth)} tfjs layers (helper layers for padding and groups included)`);
  }
  // the model's inputs and outputs in the design's order (docs/design-format.md#outputs): tfjs keeps it in
  // `input_layers`/`output_layers` and in what `predict` takes and returns
  const io = modelIO(design);
  const inputs = io.inputs.map((n) => outputsByNode.get(n.id)!);
  const outputs = io.outputs.map((n) => outputsByNode.get(n.id)!);
  const model = tf.model({ inputs, outputs, name: tfjsModelName(design.name) });
  // The generator's weights, one node at a time (a grouped conv's layers share one draw).
  let drawn: [ResolvedNode, NodeWeights] | null = null;
  try {
    for (const [r, layer, pick] of pending) {
      if (drawn?.[0] !== r) drawn = [r, options.weights?.get(r.id) ?? nodeInitialWeights(r, seed, options.init)];
      const picked = pick(drawn[1]);
      const slots = layer.weights;
      picked.forEach((w, k) => {
        const want = slots[k]?.shape ?? [];
        if (w.shape.join() !== want.join()) {
          throw new CompileError(`${nodeLabel(r.node)}: weight of shape [${w.shape.join(', ')}] does not fit [${want.join(', ')}]`, 'mismatch', r.id);
        }
      });
      const values = picked.map((w) => tf.tensor(w.data, w.shape));
      try {
        layer.setWeights(values);
      } finally {
        tf.dispose(values);
      }
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  const count = model.countParams();
  if (count !== analysis.totals.params) {
    model.dispose();
    throw new CompileError(
      `compiled model has ${formatInt(count)} parameters, the analysis ${formatInt(analysis.totals.params)}`, 'mismatch',
    );
  }
  return { model, outputsByNode, layersByNode, analysis, resolved };
}

/**
 * A model from the same inputs to one node's output (its feature maps), sharing the compiled weights.
 * @example featureMapModel(compiled, 'conv1').predict(image)
 */
export function featureMapModel(compiled: Compiled, nodeId: string): tf.LayersModel {
  const out = compiled.outputsByNode.get(nodeId);
  if (!out) throw new CompileError(`no node '${nodeId}' in the compiled design`, 'invalid', nodeId);
  return tf.model({ inputs: compiled.model.inputs, outputs: out });
}

/**
 * One node's weights as the compiled model holds them (seeded, or loaded from a trained model), in Convas's layouts
 * (engine/initial-weights.ts): its kind's `readWeights` reads them back. `{}` for a node not in the compiled model.
 */
export function compiledNodeWeights(compiled: Compiled, nodeId: string): NodeWeights {
  const r = compiled.resolved.byId.get(nodeId);
  const layers = compiled.layersByNode.get(nodeId);
  if (!r || !layers) return {};
  const weightsOf = (name: string) => compiled.model.getLayer(name).getWeights().map(readTensor);
  return callRule(TFJS_RULES, r, (rule, { params, analysis }) => rule.readWeights({
    params, analysis, own: () => weightsOf(layers.name),
    helper: (suffix) => {
      const name = layers.helpers.get(suffix);
      if (name === undefined) throw new CompileError(`node '${nodeId}' has no helper layer '${suffix}'`, 'mismatch', nodeId);
      return weightsOf(name);
    },
  }));
}

const readTensor = (t: tf.Tensor): WeightTensor => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });

/** The input shapes of a compiled model, without the batch. */
export function inputShapes(compiled: Compiled): number[][] {
  return compiled.model.inputs.map((t) => t.shape.slice(1) as number[]);
}

export { tf };
