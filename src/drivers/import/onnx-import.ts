/**
 * An ONNX model (opsets 11–17, as `torch.onnx.export` writes it) → a Convas design and its trained weights
 * (docs/interop.md#onnx-import: which operator becomes which kind, and what is refused).
 *
 * `importOnnx(bytes)` walks the graph in its (topological) order. Every value is a constant (initializers,
 * `Constant` nodes and whatever folds from them: the shape arithmetic of a flatten or a `chunk`) or a tensor one
 * design node computes, held in one of three ONNX layouts over the same channels-last design shape: `nchw` (a map,
 * ONNX `[1, C, H, W]`), `nhwc` (the same map after ConvNeXt's `permute(0, 2, 3, 1)`, ONNX `[1, H, W, C]`) and
 * `flat` (`[1, N]`). A transpose between the two map layouts is no node at all. Operators PyTorch spells out in
 * pieces are matched forward from their first node (the rules in onnx-patterns.ts).
 *
 * Weights come out in Convas's layouts (engine/initial-weights.ts), keyed by node id: conv kernels OIHW → HWIO, a
 * depthwise kernel `[C·dm, 1, kh, kw]` → `[kh, kw, C, dm]`, Gemm's `[units, N]` → `[N, units]` (rows reordered
 * from PyTorch's C·H·W flatten to Convas's H·W·C where a flatten of a map feeds it), MatMul's `[N, units]` as it
 * is. Pure TypeScript: no Node, no tfjs (it runs in the editor's file worker).
 */

import { isInputKind, type Design, type DesignEdge, type DesignNode, type Shape } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import { Attrs, decodeModel, defaultOpset, foldConstant, num, tensorConstant, type OnnxNodeProto } from './onnx-model.ts';
import { assignGroups, blockPath, IdMaker, scopedName, wantedId, type ScopedName } from './onnx-names.ts';
import { onnxDims, Refusal, type ImportContext, type TensorValue, type Value } from './onnx-context.ts';
import { convertNode } from './onnx-operators.ts';
import { matchPattern } from './onnx-patterns.ts';

export { OnnxReadError } from './onnx-model.ts';

/** What `importOnnx` returns: the design, its weights by node id, and the refusals (then the design is not usable). */
export interface OnnxImport {
  design: Design;
  /** node id → weights in Convas's layouts (engine/initial-weights.ts), for every node with parameters */
  weights: Map<string, NodeWeights>;
  /** one line per node Convas cannot express: `<node name> (<operator>): <why>`; empty when the import succeeded */
  refusals: string[];
  /** the model's opset (default domain) */
  opset: number;
}

export interface OnnxImportOptions {
  /** the design's name (default: the graph's name, else 'onnx model') */
  name?: string;
  /** called as the reader goes: `done` of `total` steps, and what it is doing */
  onProgress?: (done: number, total: number, phase: string) => void;
}

const tensorOf = (v: Value | undefined) => (v && 'tensor' in v ? v.tensor : undefined);

/**
 * Reads an ONNX model into a design with its weights.
 * @throws OnnxReadError when the bytes are no ONNX model; everything a model holds that Convas cannot express is in
 * `refusals` instead.
 * @example const { design, weights, refusals } = importOnnx(new Uint8Array(await file.arrayBuffer()))
 */
export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): OnnxImport {
  const progress = options.onProgress ?? (() => {});
  const model = decodeModel(bytes);
  const opset = defaultOpset(model);
  const graph = model.graph!;
  const onnxNodes = graph.node ?? [];
  const total = onnxNodes.length + (graph.initializer?.length ?? 0);
  let done = 0;
  progress(0, total, 'reading weights');

  const values = new Map<string, Value>();
  for (const t of graph.initializer ?? []) {
    values.set(t.name ?? '', { const: tensorConstant(t) });
    if (++done % 64 === 0) progress(done, total, 'reading weights');
  }
  const writers = new Map<string, OnnxNodeProto>();
  const readersOf = new Map<string, OnnxNodeProto[]>();
  for (const n of onnxNodes) {
    for (const o of n.output ?? []) writers.set(o, n);
    for (const i of n.input ?? []) if (i) readersOf.set(i, [...(readersOf.get(i) ?? []), n]);
  }
  const outputNode = { opType: '<output>', name: '<output>' } as OnnxNodeProto;
  for (const o of graph.output ?? []) readersOf.set(o.name ?? '', [...(readersOf.get(o.name ?? '') ?? []), outputNode]);

  const refusals: string[] = [];
  const nodes: DesignNode[] = [];
  const edges: DesignEdge[] = [];
  const weights = new Map<string, NodeWeights>();
  const origin = new Map<string, ScopedName>();
  const consumed = new Set<OnnxNodeProto>();
  const byId = new Map<string, DesignNode>();
  const adds = new Set<string>();

  const refuse = (n: { name?: string | null; opType?: string | null }, why: string) => {
    refusals.push(`${n.name || '(unnamed node)'} (${n.opType}): ${why}`);
  };

  const ctx: ImportContext = {
    opset,
    value: (name) => (name ? values.get(name) : undefined),
    constant(name, what) {
      const v = name ? values.get(name) : undefined;
      if (v && 'const' in v) return v.const;
      throw new Refusal(`${what} must be a constant`);
    },
    tensor(name, keepPad = false) {
      const v = name ? values.get(name) : undefined;
      const t = tensorOf(v);
      if (!t) throw new Refusal(`its input ${name ?? ''} must be a tensor the model computes`);
      if (!t.pad || keepPad) return t;
      const [top, left, bottom, right] = t.pad;
      if (top !== bottom || left !== right) throw new Refusal(`a padding of ${top}, ${left} before and ${bottom}, ${right} after is not symmetric (zeroPad2d pads each side alike)`);
      const at = writers.get(name!) ?? outputNode;
      const id = ctx.add('zeroPad2d', { padding: [top, left] }, [{ ...t, pad: undefined }], at);
      const padded: TensorValue = { node: id, layout: 'nchw', shape: [t.shape[0] + top + bottom, t.shape[1] + left + right, t.shape[2]] };
      values.set(name!, { tensor: padded });
      return padded;
    },
    readers: (name) => readersOf.get(name) ?? [],
    writer: (name) => writers.get(name),
    add(kind, params, inputs, at, w) {
      const id = `n${nodes.length}`;
      const node: DesignNode = { id, kind, params } as DesignNode;
      nodes.push(node);
      byId.set(id, node);
      origin.set(id, scopedName(at.name ?? ''));
      inputs.forEach((x, k) => edges.push({ source: x.node, target: id, ...(inputs.length > 1 ? { targetPort: k } : {}) }));
      if (w) weights.set(id, w);
      // a sum of two computed tensors: the mark of a residual block
      if (inputs.length > 1 && at.opType === 'Add') adds.add(id);
      return id;
    },
    designNode: (id) => byId.get(id)!,
    set: (name, v) => void values.set(name, v),
    consume: (...ns) => ns.forEach((n) => consumed.add(n)),
  };

  // the model's inputs: graph inputs that are not initializers
  for (const input of graph.input ?? []) {
    const name = input.name ?? '';
    if (values.has(name)) continue;
    const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue != null && num(d.dimValue) > 0 ? num(d.dimValue) : null));
    const at = { name: name, opType: 'input' } as OnnxNodeProto;
    const fixed = dims.slice(1);
    if (fixed.some((d) => d === null) || (dims.length !== 4 && dims.length !== 2)) {
      refuse(at, `input of shape [${dims.map((d) => d ?? '?').join(', ')}]: Convas needs a fixed [batch, C, H, W] image or [batch, N] vector`);
      values.set(name, { refused: true });
      continue;
    }
    const shape: Shape = dims.length === 4 ? [fixed[1]!, fixed[2]!, fixed[0]!] : [fixed[0]!];
    const id = ctx.add('input', { shape }, [], at);
    values.set(name, { tensor: { node: id, layout: dims.length === 4 ? 'nchw' : 'flat', shape } });
  }

  // Constants first, with what folds from them alone: a pattern reads its constants ahead of where they stand
  for (const n of onnxNodes) {
    const ins = (n.input ?? []).map((i) => (i ? values.get(i) : undefined));
    if (n.opType !== 'Constant' && !(ins.length && ins.every((v) => !v || 'const' in v) && ins.some((v) => v))) continue;
    const folded = foldConstant(n.opType ?? '', new Attrs(n), ins.map((v) => (v && 'const' in v ? v.const : undefined)));
    if (folded && n.output?.length === 1) {
      values.set(n.output[0], { const: folded });
      consumed.add(n);
    }
  }
  for (const n of onnxNodes) {
    if (++done % 16 === 0) progress(done, total, 'reading layers');
    if (consumed.has(n)) continue;
    const ins = (n.input ?? []).map((i) => (i ? values.get(i) : undefined));
    const outs = n.output ?? [];
    if (ins.some((v) => v && 'refused' in v)) {
      for (const o of outs) values.set(o, { refused: true }); // refused upstream: said once, there
      continue;
    }
    const attrs = new Attrs(n);
    // every input constant (or absent): fold it, when the evaluator knows the operator
    if (n.opType === 'Constant' || (ins.length && ins.every((v) => !v || 'const' in v) && ins.some((v) => v))) {
      const folded = foldConstant(n.opType ?? '', attrs, ins.map((v) => (v && 'const' in v ? v.const : undefined)));
      if (folded) {
        values.set(outs[0], { const: folded });
        continue;
      }
    }
    // Shape of a tensor: its ONNX dims with batch 1
    if (n.opType === 'Shape' && tensorOf(ins[0])) {
      const d = onnxDims(tensorOf(ins[0])!);
      values.set(outs[0], { const: { dims: [d.length], data: d, int: true } });
      continue;
    }
    try {
      if (matchPattern(ctx, n)) continue;
      convertNode(ctx, n, attrs);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      refuse(n, e.message);
      for (const o of outs) values.set(o, { refused: true });
    }
  }
  progress(total, total, 'naming layers');

  // the outputs: a flat value in C·H·W order cannot be an output (Convas's order differs)
  for (const o of graph.output ?? []) {
    const t = tensorOf(values.get(o.name ?? ''));
    if (t?.chwOf && t.chwOf[0] * t.chwOf[1] > 1) {
      refuse({ name: o.name, opType: 'output' }, 'a flatten of a map in PyTorch\'s channel-first order is a model output; Convas flattens channels last');
    }
  }

  const design = finishDesign(nodes, edges, origin, adds, options.name ?? (graph.name || 'onnx model'));
  const renamed = new Map<string, NodeWeights>();
  for (const [id, w] of weights) renamed.set(design.idOf.get(id)!, w);
  return { design: design.design, weights: renamed, refusals, opset };
}

/** Gives the nodes their ids from the model's names, renames the edges, and groups the blocks. */
function finishDesign(
  nodes: DesignNode[], edges: DesignEdge[], origin: Map<string, ScopedName>, adds: Set<string>, name: string,
): { design: Design; idOf: Map<string, string> } {
  const perScope = new Map<string, number>();
  const hasChild = new Set<string>();
  for (const n of nodes) {
    const s = origin.get(n.id)!;
    if (s.path) perScope.set(s.path, (perScope.get(s.path) ?? 0) + 1);
    const parts = s.path.split('.');
    for (let k = 1; k < parts.length; k++) hasChild.add(parts.slice(0, k).join('.'));
  }
  const ids = new IdMaker();
  const idOf = new Map<string, string>();
  const blockOf = new Map<string, string>();
  for (const n of nodes) {
    const s = origin.get(n.id)!;
    const id = ids.make(isInputKind(n.kind) ? s.op : wantedId(s, (p) => perScope.get(p) === 1 && !hasChild.has(p)));
    idOf.set(n.id, id);
    n.id = id;
    const b = isInputKind(n.kind) ? null : blockPath(s);
    if (b) blockOf.set(id, b);
  }
  const renamed = edges.map((e, i) => ({ id: `e${i + 1}`, ...e, source: idOf.get(e.source)!, target: idOf.get(e.target)! }));
  const groups = assignGroups(nodes, blockOf, new Set([...adds].map((id) => idOf.get(id)!)), ids);
  return {
    design: { format: 'convas.design', version: 1, name, nodes, edges: renamed, ...(groups.length ? { groups } : {}) },
    idOf,
  };
}
