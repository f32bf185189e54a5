/**
 * Design → ONNX model (opset 13, NCHW input, weights included), encoded with the `onnx-proto` protobuf
 * schema (protobufjs). Pure TypeScript: weights come from `weights` (PyTorch state-dict tensors, e.g. a trained
 * model's, see torch-weights.ts) or, without it, from the one seeded generator (engine/initial-weights.ts) that the
 * tfjs compiler and the PyTorch `--weights` files read too: the same seed gives the same float32 weights in all.
 *
 * Semantics follow the PyTorch export: pads from the contract's exact before/after (asymmetric 'same' is native
 * in ONNX), ceil-mode windows padded explicitly (−∞ for max pools is ONNX's own pad rule for MaxPool),
 * LRN alpha × size (ONNX divides by size), BN momentum as Keras's, flatten channels-last (Transpose first).
 * Each kind's nodes are its rule's (`src/kinds/<kind>/onnx.ts`, table `src/kinds/onnx.ts`), written through the
 * graph helpers of onnx-graph.ts.
 */

import onnxProto from 'onnx-proto';
import { analyze, formatError, isInputKind, modelIO, type Analysis, type Design, type Shape } from '../../engine/index.ts';
import { DEFAULT_SEED, type InitOptions } from '../../engine/initial-weights.ts';
import { onnxValueNames } from '../../engine/names.ts';
import { callRule, resolve } from '../../engine/resolve.ts';
import { ONNX_RULES } from '../../kinds/onnx.ts';
import { createOnnxGraph } from '../../backends/onnx-graph.ts';
import { torchStateDict, type WeightTensor } from './torch-layout.ts';

const { onnx } = onnxProto;

export type { WeightTensor };

const nchw = (s: Shape) => (s.length === 3 ? [s[2], s[0], s[1]] : [...s]);

function valueInfo(name: string, shape: Shape) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, ...nchw(shape).map((d) => ({ dimValue: d }))] },
      },
    },
  });
}

/**
 * Encodes a valid design as ONNX bytes, with `weights` (PyTorch state-dict keys and layouts) or the seed's
 * initial weights (`seed` default `DEFAULT_SEED`; `init` as the generator takes it). The seed is in the model's
 * doc string.
 * @example writeFileSync('model.onnx', toOnnx(design, { seed: 1 }))
 */
export function toOnnx(design: Design, options: { seed?: number; init?: InitOptions; weights?: Map<string, WeightTensor>; analysis?: Analysis } = {}): Uint8Array {
  const analysis = options.analysis ?? analyze(design);
  if (!analysis.valid) throw new Error(`the design has errors: ${formatError(analysis.errors[0], design)}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const state = options.weights ?? torchStateDict(design, analysis, { seed, init: options.init });
  const names = onnxValueNames(design);
  // The design is valid: every node resolves, in topological order.
  const resolved = resolve(design, analysis);

  const { graph: g, nodes, initializers } = createOnnxGraph(state);
  for (const r of resolved.nodes) {
    const out = names.get(r.id)!;
    if (isInputKind(r.kind)) continue; // a graph input
    const xs = r.inputs.map((s) => names.get(s)!);
    callRule(ONNX_RULES, r, (rule, { params: p, inputShapes }) => rule.emit({ g, p, x: xs[0], xs, inShape: inputShapes[0], inShapes: inputShapes, out }));
  }
  // the graph's inputs and outputs in the model's order (docs/design-format.md#outputs). An input that is also an
  // output leaves through an Identity (as PyTorch's exporter writes `return x`): one value, one name, and runtimes
  // that want every graph output made by a node get one.
  const io = modelIO(design);
  const graphInputs = io.inputs.map((n) => valueInfo(names.get(n.id)!, resolved.byId.get(n.id)!.outputShape));
  const outputs = io.outputs.map((n) => {
    const name = names.get(n.id)!;
    const shape = resolved.byId.get(n.id)!.outputShape;
    return valueInfo(isInputKind(n.kind) ? g.op('Identity', [name], `${name}__output`) : name, shape);
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'convas',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: design.name || 'convas',
      node: nodes,
      initializer: initializers,
      input: graphInputs,
      output: outputs,
      docString: `Exported by Convas. Inputs are NCHW; Convas shows shapes channels-last. Weights: ${options.weights ? 'given' : `initial, seed ${seed}`}.`,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
