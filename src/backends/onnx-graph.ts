/**
 * What a kind's ONNX rule is (`OnnxRule<K>`, one per kind in `src/kinds/<kind>/onnx.ts`, gathered in the typed
 * table `src/kinds/onnx.ts`) and the graph it writes into: `OnnxGraph`, the helpers that add nodes, constants and
 * weights (opset 13, NCHW), shared by every rule. Pure TypeScript over the `onnx-proto` schema.
 */

import onnxProto from 'onnx-proto';
import { window2d, type ActivationName, type PaddingValue, type Pair, type Shape } from '../contract/index.ts';
import type { WeightTensor } from '../contract/layer-kind.ts';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;

export type Attr = ReturnType<typeof onnx.AttributeProto.create>;
export type OnnxNode = ReturnType<typeof onnx.NodeProto.create>;
export type OnnxTensor = ReturnType<typeof onnx.TensorProto.create>;

/** An INTS attribute. */
export const ints = (name: string, v: readonly number[]): Attr => onnx.AttributeProto.create({ name, type: AT.INTS, ints: [...v] });
/** An INT attribute. */
export const int = (name: string, v: number): Attr => onnx.AttributeProto.create({ name, type: AT.INT, i: v });
/** A FLOAT attribute. */
export const float = (name: string, v: number): Attr => onnx.AttributeProto.create({ name, type: AT.FLOAT, f: v });
/** A STRING attribute (UTF-8). */
export const str = (name: string, v: string): Attr => onnx.AttributeProto.create({ name, type: AT.STRING, s: new TextEncoder().encode(v) });

/** relu6(x + 3) / 6 as ONNX's HardSigmoid, max(0, min(1, alpha·x + beta)). */
const HARD_SIGMOID = [float('alpha', 1 / 6), float('beta', 0.5)];

/** The graph a rule writes into; each helper returns the name of the value it made. */
export interface OnnxGraph {
  /** Adds node `opType` from `inputs` to `output` (named `name`, default `<output>__<opType>`); returns `output`. */
  op(opType: string, inputs: string[], output: string, attribute?: Attr[], name?: string): string;
  /** A fresh name for an intermediate value of `base`: `<base>__t<n>`. */
  tmp(base: string): string;
  /** A float32 initializer `name` of `shape`. */
  constF(name: string, shape: number[], data: Float32Array): string;
  /** A 1-D int64 initializer `name` (pads, shapes). */
  constI64(name: string, values: number[]): string;
  /**
   * The state-dict tensor `key` (PyTorch layout) as an initializer.
   * @throws Error when it is missing or its shape differs from `shape`, the one the graph needs.
   */
  weight(key: string, shape: number[]): string;
  /** Activation `fn` (an `ActivationName`) of `x` into `out`: `Identity` for `linear`. */
  activation(fn: ActivationName, x: string, out: string): string;
  /**
   * ONNX `pads` `[top, left, bottom, right]` of a window over an `h`×`w` input: the contract's exact before/after
   * (`window2d`), so TensorFlow's uneven 'same' and ceil mode's extra cells are explicit.
   * @throws Error when the window does not fit (the analysis refuses such a design first).
   */
  pads(h: number, w: number, kernel: Pair, stride: Pair, dilation: Pair, padding: PaddingValue, ceilMode?: boolean): number[];
}

/** What a kind's ONNX emit reads of its node. */
export interface OnnxEmitContext<P> {
  g: OnnxGraph;
  /** the node's params, validated and resolved by `validateParams` */
  p: P;
  /** the first input's value name */
  x: string;
  /** every input's value name, in port order */
  xs: string[];
  /** the first input's shape, channels-last (`[]` for an input node, which is never emitted) */
  inShape: Shape;
  /** every input's shape, channels-last, in port order (a merge's inputs may differ: a gate's `[C]` beside `[H, W, C]`) */
  inShapes: Shape[];
  /** the node's output value name, also its weights' state-dict prefix (`<out>.weight`) */
  out: string;
}

/** A kind's ONNX translation (its params typed `P`): `emit` adds the nodes computing `out` from the inputs. */
export interface OnnxRule<P> {
  emit(ctx: OnnxEmitContext<P>): void;
}

/** A fresh graph over the state dict `state` (weights in PyTorch layouts, see torch-layout.ts). */
export function createOnnxGraph(state: Map<string, WeightTensor>): { graph: OnnxGraph; nodes: OnnxNode[]; initializers: OnnxTensor[] } {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
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
  const weight = (key: string, shape: number[]) => {
    const given = state.get(key);
    if (!given) throw new Error(`weight ${key} is missing`);
    if (given.shape.join() !== shape.join()) throw new Error(`weight ${key}: shape [${given.shape}] differs from [${shape}]`);
    return constF(key, shape, given.data);
  };
  const activation = (fn: ActivationName, x: string, out: string): string => {
    switch (fn) {
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
      // PyTorch's export of F.hardsigmoid: HardSigmoid with alpha 1/6 (ONNX's default 0.2 is Keras 2's function)
      case 'hardSigmoid': return op('HardSigmoid', [x], out, HARD_SIGMOID);
      // HardSwish is opset 14: x · HardSigmoid(x), the same function (ONNX defines HardSwish so)
      case 'hardSwish': return op('Mul', [x, op('HardSigmoid', [x], tmp(out), HARD_SIGMOID)], out);
      // Gelu is opset 20: 0.5·x·(1 + Erf(x / √2)), the nodes PyTorch's own opset-13 export writes for F.gelu
      case 'gelu': {
        const erf = op('Erf', [op('Div', [x, constF(tmp(out), [], new Float32Array([Math.SQRT2]))], tmp(out))], tmp(out));
        const onePlus = op('Add', [erf, constF(tmp(out), [], new Float32Array([1]))], tmp(out));
        return op('Mul', [op('Mul', [x, onePlus], tmp(out)), constF(tmp(out), [], new Float32Array([0.5]))], out);
      }
      default: {
        const missing: never = fn; // every activation has a case: a new one is a type error here
        throw new Error(`activation ${String(missing)}: no ONNX translation`);
      }
    }
  };
  const pads = (h: number, w: number, kernel: Pair, stride: Pair, dilation: Pair, padding: PaddingValue, ceilMode = false) => {
    const r = window2d(h, w, { kernel, stride, dilation, padding, ceilMode });
    if (!('ok' in r)) throw new Error('the window does not fit');
    return [r.ok.before[0], r.ok.before[1], r.ok.after[0], r.ok.after[1]];
  };
  return { graph: { op, tmp, constF, constI64, weight, activation, pads }, nodes, initializers };
}
