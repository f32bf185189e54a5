/**
 * Design → a self-contained PyTorch `model.py`: one `nn.Module` whose `__init__` builds the layers (node names as
 * attribute names) and whose `forward` follows the graph. Pure TypeScript: it reads the engine's analysis for
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
 * torch-rule.ts); this file wires the inputs and writes the module around them, with the names of engine/names.ts.
 */

import { analyze, escapeControl, formatError, isInputKind, modelIO, type Analysis, type Design } from '../../engine/index.ts';
import { pythonClassName, pythonNames } from '../../engine/names.ts';
import { callRule, resolve } from '../../engine/resolve.ts';
import { TORCH_RULES } from '../../kinds/torch.ts';

/** Free text for a `#` comment or the docstring: control characters (NUL included) written as escapes. */
const pyText = (s: string) => escapeControl(s);

/**
 * Writes the PyTorch module for a valid design.
 * @example writeFileSync('model.py', toPyTorch(design))
 */
export function toPyTorch(design: Design, analysis: Analysis = analyze(design)): string {
  if (!analysis.valid) throw new Error(`the design has errors: ${formatError(analysis.errors[0], design)}`);
  const names = pythonNames(design);
  // The design is valid: every node resolves, in topological order.
  const resolved = resolve(design, analysis);
  const v = (id: string) => `x_${names.get(id)}`;

  const init: string[] = [];
  const forward: string[] = [];
  for (const r of resolved.nodes) {
    const { id, node } = r;
    if (isInputKind(node.kind)) continue; // an argument of forward
    const srcs = r.inputs.map(v);
    const inShape = r.inputShapes[0];
    const e = callRule(TORCH_RULES, r, (rule, { analysis: a, params: p }) => rule.emit({ a, p, attr: `self.${names.get(id)}`, inShape, rank: inShape.length }));
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
        .replace(/\$x(\d+)/g, (_, k: string) => srcs[Number(k)])
        .replaceAll('$x', srcs[0]));
    }
  }
  // forward's arguments and its return tuple in the model's order (docs/design-format.md#outputs)
  const io = modelIO(design);
  const inputs = io.inputs.map((n) => v(n.id));
  const outputs = io.outputs.map((n) => v(n.id));
  const shapeDoc = io.inputs.map((n) => {
    const s = resolved.byId.get(n.id)!.outputShape;
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
