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
 *
 * Each kind's lines are its rule's (`src/kinds/<kind>/torch.ts`, table `src/kinds/torch.ts`, shared pieces in
 * torch-rule.ts); this file names the attributes, wires the inputs and writes the module around them.
 */

import {
  analyze, escapeControl, formatError, getLayerKind, isInputKind, isKindName, outputNodes, inputsInPortOrder, topologicalOrder, validateParams,
  type Analysis, type Design, type KindName, type KindParams, type NodeAnalysis,
} from '../../engine/index.ts';
import { TORCH_RULES } from '../../kinds/torch.ts';
import type { Emitted } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../../kinds/rules.ts';

const PY_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for '
  + 'from global if import in is lambda nonlocal not or pass raise return try while with yield self input').split(' '));

/**
 * Every name an `nn.Module` (PyTorch 1.13 to 2.x) has of its own: a layer attribute by one of these names would
 * replace a method (`forward`, `to`, `cuda`…) or state (`training`) and break the module.
 */
const MODULE_NAMES = new Set((
  'T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda double dump_patches '
  + 'eval extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict '
  + 'modules mtia named_buffers named_children named_modules named_parameters parameters register_backward_hook '
  + 'register_buffer register_forward_hook register_forward_pre_hook register_full_backward_hook '
  + 'register_full_backward_pre_hook register_load_state_dict_post_hook register_load_state_dict_pre_hook '
  + 'register_module register_parameter register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ '
  + 'set_extra_state set_submodule share_memory smart_apply state_dict to to_empty train training type xpu zero_grad'
).split(' '));

/**
 * A node id → a Python attribute name: `layer1.0.conv1` → `layer1_0_conv1`. Never a keyword (`class` →
 * `class_`), never one of `nn.Module`'s own names (`forward` → `forward_`, `training` → `training_`), never
 * starting with a digit (`0` → `l_0`) or an underscore (`_modules` → `l_modules`, `__x` → `l__x`: a leading
 * underscore would reach the module's internals, and two would be name-mangled inside the class).
 */
export function pyName(id: string): string {
  let n = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9_]/.test(n)) n = `l${n.startsWith('_') ? '' : '_'}${n}`;
  if (PY_KEYWORDS.has(n) || MODULE_NAMES.has(n)) n = `${n}_`;
  return n;
}

/** Class names the module file itself uses at the top level (`F` is torch.nn.functional). */
const TAKEN_CLASS_NAMES = new Set(['F', 'None', 'True', 'False', 'ValueError']);

/** Free text for a `#` comment or the docstring: control characters (NUL included) written as escapes. */
const pyText = (s: string) => escapeControl(s);

/** Kind `K`'s PyTorch rule (the table is typed per kind, so the lookup keeps `K`). */
const torchRule = <K extends KindName>(kind: K): TorchRuleOf<K> => TORCH_RULES[kind];

/** A node's lines of the module: its kind's rule, given the node's params (validated by the analysis). */
function emit<K extends KindName>(kind: K, a: NodeAnalysis, params: unknown, attrName: string): Emitted {
  const inShape = a.inputShapes?.[0] ?? [];
  // the one cast: the analysis validated these params against kind K's schema
  return torchRule(kind).emit({ a, p: params as KindParams<K>, attr: `self.${attrName}`, inShape, rank: inShape.length });
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

/**
 * `ResNet-18 (torchvision)` → `ResNet18Torchvision`; names that start with a digit get `Net` in front; a name the
 * file already uses (a design called `f` would become `F`, hiding torch.nn.functional) gets `Net` after.
 */
export function pythonClassName(name: string): string {
  const words = name.match(/[A-Za-z0-9]+/g) ?? [];
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (!joined) return 'ConvasModel';
  if (/^[0-9]/.test(joined)) return `Net${joined}`;
  return TAKEN_CLASS_NAMES.has(joined) ? `${joined}Net` : joined;
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
  if (!analysis.valid) throw new Error(`the design has errors: ${formatError(analysis.errors[0], design)}`);
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const inputsOf = inputsInPortOrder(design);

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
    if (!isKindName(node.kind)) throw new Error(`${node.kind} '${id}': no PyTorch translation`); // the analysis refused it first
    const params = validateParams(getLayerKind(node.kind)!.params, node.params).params;
    if (isInputKind(node.kind)) {
      inputs.push(v(id));
      continue;
    }
    const srcs = (inputsOf.get(id) ?? []).map((e) => v(e.source));
    const e = emit(node.kind, a, params, names.get(id)!);
    // The original id where the attribute differs from it, and the name: escaped, so no character ends the comment.
    const notes = [
      ...(names.get(id) !== id ? [`node '${id}'`] : []),
      ...(node.name && node.name !== node.id ? [pyText(node.name)] : []),
    ];
    const label = notes.length ? `  # ${notes.join(': ')}` : '';
    if (e.init) init.push(`        self.${names.get(id)} = ${e.init}${label}`);
    for (const line of e.forward) {
      forward.push('        ' + line
        .replaceAll('$sum', srcs.join(' + '))
        .replaceAll('$list', srcs.join(', '))
        .replaceAll('$out', v(id))
        .replaceAll('$x', srcs[0]));
    }
  }
  const outputs = outputNodes(design).map((n) => v(n.id));
  const shapeDoc = design.nodes.filter((n) => isInputKind(n.kind)).map((n) => {
    const s = byId.get(n.id)!.outputShape!;
    return `${v(n.id)}: [batch, ${s.length === 3 ? `${s[2]}, ${s[0]}, ${s[1]}` : s[0]}]`;
  });
  const className = pythonClassName(design.name);
  const a = analysis.totals;
  // Node ids that are not their attribute names as they are: the state-dict prefix → the design's id.
  const renamed = design.nodes.filter((n) => names.get(n.id) !== n.id);
  const idMap = renamed.length
    ? `\n# Attribute (state-dict prefix) → node id in the design, where they differ.\nNODE_IDS = {\n${renamed.map((n) => `    ${JSON.stringify(names.get(n.id))}: ${JSON.stringify(n.id)},`).join('\n')}\n}\n`
    : '';
  return `"""${pyText(design.name.replace(/\\/g, '/')).replace(/"""/g, "'''").replace(/"$/, "'")}: exported by Convas.

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
${idMap}

def load_convas_weights(model, path):
    """Loads the weights \`convas export --weights\` wrote: a JSON manifest (\`path\`) and the raw little-endian
    float32 file it names, beside it. Returns the model."""
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
