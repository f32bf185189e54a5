/**
 * Design → a self-contained PyTorch `model.py`: one `nn.Module` whose `__init__` builds the layers (node names as
 * attribute names) and whose `forward` follows the graph. Pure TypeScript: it reads the core's analysis for
 * shapes, and the exact padding each layer needs, so the module reproduces Convas's semantics:
 *
 * - tensors are NCHW in PyTorch (Convas is channels-last); Flatten permutes to NHWC first, so weights taken from
 *   the tfjs model line up;
 * - explicit padding is PyTorch's own; 'same' is symmetric padding where it can be, else an `F.pad` (−∞ for max
 *   pools) before an unpadded layer, exactly the TensorFlow rule;
 * - batch norm momentum is converted (PyTorch's = 1 − Keras's); LRN's alpha is multiplied by the window size
 *   (PyTorch divides by it, TensorFlow does not).
 */

import {
  analyze, getLayerKind, inputsInPortOrder, topologicalOrder, validateParams, window2d,
  type Analysis, type Design, type DesignNode, type NodeAnalysis, type PaddingValue, type Pair,
} from '../core/index.ts';

const PY_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for '
  + 'from global if import in is lambda nonlocal not or pass raise return try while with yield self input').split(' '));

/** A node id → a Python attribute name: `layer1.0.conv1` → `layer1_0_conv1`. */
export function pyName(id: string): string {
  let n = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(n)) n = `l_${n}`;
  if (PY_KEYWORDS.has(n)) n = `${n}_`;
  return n;
}

const ACT: Record<string, (x: string, rank: number) => string | null> = {
  linear: () => null,
  relu: (x) => `F.relu(${x})`,
  relu6: (x) => `F.relu6(${x})`,
  elu: (x) => `F.elu(${x})`,
  selu: (x) => `F.selu(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
  softmax: (x) => `F.softmax(${x}, dim=1)`, // channels are dim 1 in NCHW, and the only dim of a flat [N, C]
  softplus: (x) => `F.softplus(${x})`,
  swish: (x) => `F.silu(${x})`,
};

const tuple = (p: readonly number[]) => `(${p.join(', ')})`;
const pyFloat = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

interface Emitted {
  init?: string;
  /** forward statements; `$x` is the input (or `$xs` the list of inputs), the result goes to `$out` */
  forward: string[];
}

/** 'same' or explicit padding → what PyTorch needs: symmetric `padding=`, or an explicit `F.pad` first. */
function padPlan(node: NodeAnalysis, padding: PaddingValue, kernel: Pair, strides: Pair, dilation: Pair, ceilMode = false) {
  const [h, w] = node.inputShapes![0]!;
  const r = window2d(h, w, { kernel, stride: strides, dilation, padding, ceilMode });
  if (!('ok' in r)) throw new Error(`${node.id}: the window does not fit`);
  const { before, after } = r.ok;
  if (padding !== 'same' || (before[0] === after[0] && before[1] === after[1])) {
    return { padding: padding === 'valid' ? [0, 0] : padding === 'same' ? before : padding, pre: null as string | null };
  }
  return { padding: [0, 0], pre: `(${before[1]}, ${after[1]}, ${before[0]}, ${after[0]})` };
}

function emit(node: DesignNode, a: NodeAnalysis, p: Record<string, any>): Emitted { // eslint-disable-line @typescript-eslint/no-explicit-any
  const attr = `self.${pyName(node.id)}`;
  const inShape = a.inputShapes?.[0] ?? null;
  const rank = inShape?.length ?? 0;
  const withAct = (lines: string[], act: string | undefined) => {
    const f = act ? ACT[act]('$out', rank) : null;
    return f ? [...lines, `$out = ${f}`] : lines;
  };
  switch (node.kind) {
    case 'conv2d':
    case 'depthwiseConv2d': {
      const cin = inShape![2];
      const depthwise = node.kind === 'depthwiseConv2d';
      const cout = depthwise ? cin * p.depthMultiplier : p.filters;
      const groups = depthwise ? cin : p.groups;
      const plan = padPlan(a, p.padding, p.kernelSize, p.strides, p.dilation);
      const args = [`${cin}, ${cout}`, `kernel_size=${tuple(p.kernelSize)}`, `stride=${tuple(p.strides)}`, `padding=${tuple(plan.padding)}`];
      if (p.dilation[0] > 1 || p.dilation[1] > 1) args.push(`dilation=${tuple(p.dilation)}`);
      if (groups > 1) args.push(`groups=${groups}`);
      if (!p.useBias) args.push('bias=False');
      const x = plan.pre ? `F.pad($x, ${plan.pre})` : '$x';
      return { init: `nn.Conv2d(${args.join(', ')})`, forward: withAct([`$out = ${attr}(${x})`], p.activation) };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const strides = (p.strides ?? p.poolSize) as Pair;
      const plan = padPlan(a, p.padding, p.poolSize, strides, [1, 1], p.ceilMode);
      const max = node.kind === 'maxPool2d';
      const args = [`kernel_size=${tuple(p.poolSize)}`, `stride=${tuple(strides)}`, `padding=${tuple(plan.padding)}`];
      if (p.ceilMode) args.push('ceil_mode=True');
      // TensorFlow's 'same' average leaves the padding out of the count.
      if (!max && p.padding === 'same') args.push('count_include_pad=False');
      if (!max && plan.pre) {
        // TensorFlow divides by the cells inside the image: the sum over the window / the count of real cells.
        const k = `kernel_size=${tuple(p.poolSize)}, stride=${tuple(strides)}`;
        return { forward: [
          `$out = F.avg_pool2d(F.pad($x, ${plan.pre}), ${k}) / F.avg_pool2d(F.pad(torch.ones_like($x[:, :1]), ${plan.pre}), ${k})`,
        ] };
      }
      const x = plan.pre ? `F.pad($x, ${plan.pre}${max ? ", value=float('-inf')" : ''})` : '$x';
      return { init: `nn.${max ? 'MaxPool2d' : 'AvgPool2d'}(${args.join(', ')})`, forward: [`$out = ${attr}(${x})`] };
    }
    case 'globalAvgPool':
      return { forward: ['$out = $x.mean(dim=(2, 3))'] };
    case 'globalMaxPool':
      return { forward: ['$out = $x.amax(dim=(2, 3))'] };
    case 'flatten':
      // Channels-last order, as Convas and tfjs flatten, so dense weights carry over.
      return { forward: [rank === 3 ? '$out = $x.permute(0, 2, 3, 1).flatten(1)' : '$out = $x.flatten(1)'] };
    case 'dense':
      return { init: `nn.Linear(${inShape![0]}, ${p.units}${p.useBias ? '' : ', bias=False'})`, forward: withAct([`$out = ${attr}($x)`], p.activation) };
    case 'batchNorm': {
      const c = inShape![rank - 1];
      return {
        init: `nn.BatchNorm${rank === 3 ? '2d' : '1d'}(${c}, eps=${p.epsilon}, momentum=${pyFloat(Math.round((1 - p.momentum) * 1e9) / 1e9)})`,
        forward: [`$out = ${attr}($x)`],
      };
    }
    case 'activation': {
      const f = ACT[p.fn]('$x', rank);
      return { forward: [`$out = ${f ?? '$x'}`] };
    }
    case 'dropout':
      return { init: `nn.Dropout(p=${p.rate})`, forward: [`$out = ${attr}($x)`] };
    case 'lrn': {
      const size = 2 * p.depthRadius + 1;
      return {
        init: `nn.LocalResponseNorm(size=${size}, alpha=${p.alpha * size}, beta=${p.beta}, k=${pyFloat(p.bias)})`,
        forward: [`$out = ${attr}($x)`],
      };
    }
    case 'zeroPad2d':
      return { init: `nn.ZeroPad2d(${tuple([p.padding[1], p.padding[1], p.padding[0], p.padding[0]])})`, forward: [`$out = ${attr}($x)`] };
    case 'add':
      return { forward: ['$out = $xs'.replace('$xs', '$sum')] };
    case 'concat':
      return { forward: ['$out = torch.cat([$list], dim=1)'] };
    default:
      throw new Error(`${node.kind} '${node.id}': no PyTorch translation`);
  }
}

/**
 * The file name (without `.py`) a design's PyTorch module is saved under, one Python can `import`: the name's
 * words, lower case, joined by `_` (PEP 8's module names): `My Inception 3a` → `my_inception_3a`,
 * `ResNet-18 (torchvision)` → `resnet_18_torchvision`; a leading digit gets `net_`, a keyword a trailing `_`.
 */
export function pythonModuleName(name: string): string {
  const words = (name.match(/[A-Za-z0-9]+/g) ?? []).map((w) => w.toLowerCase());
  let joined = words.join('_').slice(0, 80).replace(/_+$/, '');
  if (!joined) return 'convas_model';
  if (/^[0-9]/.test(joined)) joined = `net_${joined}`;
  return PY_KEYWORDS.has(joined) ? `${joined}_` : joined;
}

/** `ResNet-18 (torchvision)` → `ResNet18Torchvision`; names that start with a digit get `Net` in front. */
export function pythonClassName(name: string): string {
  const words = name.match(/[A-Za-z0-9]+/g) ?? [];
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return !joined ? 'ConvasModel' : /^[0-9]/.test(joined) ? `Net${joined}` : joined;
}

/** Node id → its unique Python attribute name (also the prefix of its keys in the module's state dict). */
export function pythonNames(design: Design): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of design.nodes) {
    let name = pyName(n.id);
    for (let k = 2; taken.has(name); k++) name = `${pyName(n.id)}_${k}`;
    taken.add(name);
    names.set(n.id, name);
  }
  return names;
}

/**
 * Writes the PyTorch module for a valid design.
 * @example writeFileSync('model.py', toPyTorch(design))
 */
export function toPyTorch(design: Design, analysis: Analysis = analyze(design)): string {
  if (!analysis.valid) throw new Error(`the design has errors: ${analysis.errors[0]?.message ?? ''}`);
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const inputsOf = inputsInPortOrder(design);
  const hasOut = new Set(design.edges.map((e) => e.source));

  const order = topologicalOrder(design);

  const nodeById = new Map(design.nodes.map((n) => [n.id, n]));
  const names = pythonNames(design);
  const v = (id: string) => `x_${names.get(id)}`;

  const init: string[] = [];
  const forward: string[] = [];
  const inputs: string[] = [];
  for (const id of order) {
    const node = nodeById.get(id)!;
    const a = byId.get(id)!;
    const params = validateParams(getLayerKind(node.kind)!.params, node.params).params as Record<string, unknown>;
    if (node.kind === 'input') {
      inputs.push(v(id));
      continue;
    }
    const srcs = (inputsOf.get(id) ?? []).map((e) => v(e.source));
    const e = emit(node, a, params);
    const label = node.name && node.name !== node.id ? `  # ${node.name.replace(/[\r\n]/g, ' ')}` : '';
    if (e.init) init.push(`        self.${names.get(id)} = ${e.init}${label}`);
    const attrName = `self.${pyName(node.id)}`;
    for (const line of e.forward) {
      forward.push('        ' + line
        .replaceAll(attrName, `self.${names.get(id)}`)
        .replaceAll('$sum', srcs.join(' + '))
        .replaceAll('$list', srcs.join(', '))
        .replaceAll('$out', v(id))
        .replaceAll('$x', srcs[0]));
    }
  }
  const outputs = design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => v(n.id));
  const shapeDoc = design.nodes.filter((n) => n.kind === 'input').map((n) => {
    const s = byId.get(n.id)!.outputShape!;
    return `${v(n.id)}: [batch, ${s.length === 3 ? `${s[2]}, ${s[0]}, ${s[1]}` : s[0]}]`;
  });
  const className = pythonClassName(design.name);
  const a = analysis.totals;
  return `"""${design.name.replace(/"""/g, "'''").replace(/\\/g, '/')}: exported by Convas.

Input layout is NCHW (PyTorch's); Convas shows shapes channels-last ([H, W, C]).
${shapeDoc.join('\n')}
Parameters: ${a.trainableParams} trainable; batch-norm running statistics: ${a.nonTrainableParams} values.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ${className}(nn.Module):
    def __init__(self):
        super().__init__()
${init.length ? init.join('\n') : '        pass'}

    def forward(self, ${inputs.join(', ')}):
${forward.join('\n')}
        return ${outputs.length === 1 ? outputs[0] : `(${outputs.join(', ')})`}


Model = ${className}


def load_convas_weights(model, path):
    \"\"\"Loads the weights \`convas export --weights\` wrote: a JSON manifest (\`path\`) and the raw little-endian
    float32 file it names, beside it. Returns the model.\"\"\"
    import json
    import os
    with open(path) as f:
        manifest = json.load(f)
    with open(os.path.join(os.path.dirname(os.path.abspath(path)), manifest["data"]), "rb") as f:
        data = bytearray(f.read())
    state = {}
    for t in manifest["tensors"]:
        n = 1
        for d in t["shape"]:
            n *= d
        state[t["name"]] = torch.frombuffer(data, dtype=torch.float32, count=n, offset=t["offset"]).reshape(t["shape"]).clone()
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"weights do not fit the model: missing {missing}, unexpected {unexpected}")
    return model
`;
}
