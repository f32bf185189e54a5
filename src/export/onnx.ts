/**
 * Design → ONNX model (opset 13, NCHW input, weights included), encoded with the `onnx-proto` protobuf
 * schema (protobufjs). Pure TypeScript: weights come from `weights` (PyTorch state-dict tensors, e.g. a trained
 * model's, see torch-weights.ts) or, without it, from the one seeded generator (core/initial-weights.ts) that the
 * tfjs compiler and the PyTorch `--weights` files read too: the same seed gives the same float32 weights in all.
 *
 * Semantics follow the PyTorch export: pads from the core's exact before/after (asymmetric 'same' is native
 * in ONNX), ceil-mode windows padded explicitly (−∞ for max pools is ONNX's own pad rule for MaxPool),
 * LRN alpha × size (ONNX divides by size), BN momentum as Keras's, flatten channels-last (Transpose first).
 */

import onnxProto from 'onnx-proto';
import {
  analyze, getLayerKind, inputsInPortOrder, outputNodes, topologicalOrder, validateParams, window2d,
  type ActivationName, type Analysis, type Design, type KindName, type Pair, type Shape,
} from '../core/index.ts';
import { DEFAULT_SEED, type InitOptions } from '../core/initial-weights.ts';
import { pythonNames } from './pytorch.ts';
import { torchStateDict, type WeightTensor } from './torch-layout.ts';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;

export type { WeightTensor };

type Attr = ReturnType<typeof onnx.AttributeProto.create>;
const ints = (name: string, v: number[]): Attr => onnx.AttributeProto.create({ name, type: AT.INTS, ints: v });
const int = (name: string, v: number): Attr => onnx.AttributeProto.create({ name, type: AT.INT, i: v });
const float = (name: string, v: number): Attr => onnx.AttributeProto.create({ name, type: AT.FLOAT, f: v });

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
  if (!analysis.valid) throw new Error(`the design has errors: ${analysis.errors[0]?.message ?? ''}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const state = options.weights ?? torchStateDict(design, analysis, { seed, init: options.init });
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const inputsOf = inputsInPortOrder(design);
  const names = pythonNames(design);

  const nodes: ReturnType<typeof onnx.NodeProto.create>[] = [];
  const initializers: ReturnType<typeof onnx.TensorProto.create>[] = [];
  let helper = 0;
  const op = (opType: string, inputs: string[], output: string, attribute: Attr[] = [], name = `${output}__${opType}`) => {
    nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [output], attribute, name }));
    return output;
  };
  const tmp = (base: string) => `${base}__t${helper++}`;
  const constF = (name: string, shape: number[], data: Float32Array) => {
    initializers.push(onnx.TensorProto.create({
      name, dims: shape, dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    }));
    return name;
  };
  const constI64 = (name: string, values: number[]) => {
    initializers.push(onnx.TensorProto.create({
      name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
    }));
    return name;
  };
  /** A weight from the state dict, its shape checked against the one the graph needs. */
  const weight = (key: string, shape: number[]) => {
    const given = state.get(key);
    if (!given) throw new Error(`weight ${key} is missing`);
    if (given.shape.join() !== shape.join()) throw new Error(`weight ${key}: shape [${given.shape}] differs from [${shape}]`);
    return constF(key, shape, given.data);
  };
  const activation = (fn: string | undefined, x: string, out: string): string => {
    const name = (fn ?? 'linear') as ActivationName;
    switch (name) {
      case 'linear': return op('Identity', [x], out);
      case 'relu': return op('Relu', [x], out);
      case 'relu6': return op('Clip', [x, constF(tmp(out), [], new Float32Array([0])), constF(tmp(out), [], new Float32Array([6]))], out);
      case 'elu': return op('Elu', [x], out, [float('alpha', 1)]);
      case 'selu': return op('Selu', [x], out);
      case 'sigmoid': return op('Sigmoid', [x], out);
      case 'tanh': return op('Tanh', [x], out);
      case 'softmax': return op('Softmax', [x], out, [int('axis', 1)]);
      case 'softplus': return op('Softplus', [x], out);
      case 'swish': return op('Mul', [x, op('Sigmoid', [x], tmp(out))], out);
      default: {
        const missing: never = name; // every activation has a case: a new one is a type error here
        throw new Error(`activation ${String(missing)}: no ONNX translation`);
      }
    }
  };
  const pads = (h: number, w: number, kernel: Pair, stride: Pair, dilation: Pair, padding: never | Parameters<typeof window2d>[2]['padding'], ceilMode = false) => {
    const r = window2d(h, w, { kernel, stride, dilation, padding, ceilMode });
    if (!('ok' in r)) throw new Error('the window does not fit');
    return [r.ok.before[0], r.ok.before[1], r.ok.after[0], r.ok.after[1]];
  };

  const order = topologicalOrder(design);

  const nodeById = new Map(design.nodes.map((n) => [n.id, n]));
  const graphInputs: ReturnType<typeof valueInfo>[] = [];
  for (const id of order) {
    const node = nodeById.get(id)!;
    const a = byId.get(id)!;
    const p = validateParams(getLayerKind(node.kind)!.params, node.params).params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const out = names.get(id)!;
    if (node.kind === 'input') {
      graphInputs.push(valueInfo(out, a.outputShape!));
      continue;
    }
    const xs = (inputsOf.get(id) ?? []).map((e) => names.get(e.source)!);
    const x = xs[0];
    const s = a.inputShapes?.[0] ?? [];
    const kind = node.kind as KindName;
    switch (kind) {
      case 'input':
        break; // handled above
      case 'conv2d':
      case 'depthwiseConv2d': {
        const [h, w, cin] = s as number[];
        const dw = node.kind === 'depthwiseConv2d';
        const cout = dw ? cin * p.depthMultiplier : p.filters;
        const groups = dw ? cin : p.groups;
        const [kh, kw] = p.kernelSize as Pair;
        const inPer = cin / groups;
        const ins = [x, weight(`${out}.weight`, [cout, inPer, kh, kw])];
        if (p.useBias) ins.push(weight(`${out}.bias`, [cout]));
        const attrs = [
          ints('kernel_shape', [kh, kw]), ints('strides', p.strides), ints('dilations', p.dilation), int('group', groups),
          ints('pads', pads(h, w, p.kernelSize, p.strides, p.dilation, p.padding)),
        ];
        const linear = (p.activation ?? 'linear') === 'linear';
        const y = op('Conv', ins, linear ? out : tmp(out), attrs, out);
        if (!linear) activation(p.activation, y, out);
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const [h, w] = s as number[];
        const strides = (p.strides ?? p.poolSize) as Pair;
        const pd = pads(h, w, p.poolSize, strides, [1, 1], p.padding, p.ceilMode);
        if (node.kind === 'maxPool2d') {
          // ONNX's MaxPool never picks a padded cell: the −∞ padding of PyTorch and TensorFlow.
          op('MaxPool', [x], out, [ints('kernel_shape', p.poolSize), ints('strides', strides), ints('pads', pd)], out);
          break;
        }
        const poolAttrs = (padsNow: number[], countPad: 0 | 1) => [
          ints('kernel_shape', p.poolSize), ints('strides', strides), ints('pads', padsNow), int('count_include_pad', countPad),
        ];
        const ceilExtra = pd[2] > pd[0] || pd[3] > pd[1];
        if (p.padding === 'same' || !ceilExtra) {
          // TensorFlow's 'same' leaves the padding out of the average; explicit padding counts it (PyTorch's rule).
          op('AveragePool', [x], out, poolAttrs(pd, p.padding === 'same' ? 0 : 1), out);
          break;
        }
        // Ceil mode: PyTorch counts the explicit zero padding but not the cells past it that the last window
        // reaches. So the explicit padding becomes real zeros (a Pad), and only the ceil-mode extra is ONNX
        // padding, left out of the count.
        const [pt, pl] = [pd[0], pd[1]];
        const padded = pt > 0 || pl > 0 ? op('Pad', [x, constI64(tmp(out), [0, 0, pt, pl, 0, 0, pt, pl])], tmp(out)) : x;
        op('AveragePool', [padded], out, poolAttrs([0, 0, pd[2] - pt, pd[3] - pl], 0), out);
        break;
      }
      case 'globalAvgPool':
      case 'globalMaxPool':
        op('Flatten', [op(node.kind === 'globalAvgPool' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x], tmp(out))], out, [int('axis', 1)], out);
        break;
      case 'flatten':
        // Channels-last order, as Convas and tfjs flatten.
        op('Flatten', [s.length === 3 ? op('Transpose', [x], tmp(out), [ints('perm', [0, 2, 3, 1])]) : x], out, [int('axis', 1)], out);
        break;
      case 'dense': {
        const n = s[0];
        const ins = [x, weight(`${out}.weight`, [p.units, n])];
        if (p.useBias) ins.push(weight(`${out}.bias`, [p.units]));
        const linear = (p.activation ?? 'linear') === 'linear';
        const y = op('Gemm', ins, linear ? out : tmp(out), [int('transB', 1)], out);
        if (!linear) activation(p.activation, y, out);
        break;
      }
      case 'batchNorm': {
        const c = s[s.length - 1];
        op('BatchNormalization', [
          x, weight(`${out}.weight`, [c]), weight(`${out}.bias`, [c]),
          weight(`${out}.running_mean`, [c]), weight(`${out}.running_var`, [c]),
        ], out, [float('epsilon', p.epsilon), float('momentum', p.momentum)], out);
        break;
      }
      case 'activation':
        activation(p.fn, x, out);
        break;
      case 'dropout':
        op('Identity', [x], out, [], out);
        break;
      case 'lrn': {
        const size = 2 * p.depthRadius + 1;
        op('LRN', [x], out, [int('size', size), float('alpha', p.alpha * size), float('beta', p.beta), float('bias', p.bias)], out);
        break;
      }
      case 'zeroPad2d': {
        const [ph, pw] = p.padding as Pair;
        op('Pad', [x, constI64(tmp(out), [0, 0, ph, pw, 0, 0, ph, pw])], out, [], out);
        break;
      }
      case 'add':
        op('Sum', xs, out, [], out);
        break;
      case 'concat':
        op('Concat', xs, out, [int('axis', 1)], out);
        break;
      default: {
        const missing: never = kind; // every kind has a case: a new kind without one is a type error here
        throw new Error(`${String(missing)} '${id}': no ONNX translation`);
      }
    }
  }
  const outputs = outputNodes(design).map((n) => valueInfo(names.get(n.id)!, byId.get(n.id)!.outputShape!));
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
